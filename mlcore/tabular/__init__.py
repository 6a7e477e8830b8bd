"""Reading uploaded CSV and Parquet tables safely, with messages that name the line and column.

Uploaded files are data, never code: nothing here unpickles or evaluates anything. Limits
are checked before the expensive work (file size from `os.stat`, Parquet sizes from the
footer), the fast readers (pyarrow) do the parsing, and a slow careful pass runs only after
a failure, to tell the user which line to fix.
"""

from mlcore.tabular.common import (
    ReadLimits,
    TableError,
    content_sha256,
    require_target,
)
from mlcore.tabular.detect import detect_format
from mlcore.tabular.reader import read_table

__all__ = [
    "ReadLimits",
    "TableError",
    "content_sha256",
    "detect_format",
    "read_table",
    "require_target",
]
