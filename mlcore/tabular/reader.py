"""The one entry point: size checks, format detection, then the right reader."""

import os

import pandas as pd

from mlcore.tabular.common import DEFAULT_LIMITS, HEAD_BYTES, ReadLimits, TableError, _mib
from mlcore.tabular.csv_reader import _read_csv
from mlcore.tabular.detect import detect_format
from mlcore.tabular.parquet_reader import _read_parquet


def read_table(
    path: str | os.PathLike[str], *, filename: str, limits: ReadLimits = DEFAULT_LIMITS
) -> pd.DataFrame:
    """Read an uploaded CSV or Parquet file into a DataFrame, or raise TableError saying why not."""
    size = os.stat(path).st_size
    if size == 0:
        raise TableError(
            f"“{filename}” is empty. Upload a file with a header line and data rows.", code="empty"
        )
    if size > limits.max_bytes:
        raise TableError(
            f"“{filename}” is {_mib(size)}; the limit is {_mib(limits.max_bytes)}. Upload a "
            "sample, split the file, or save it as Parquet, which is usually much smaller.",
            code="too_large",
        )
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if detect_format(head, filename) == "parquet":
        frame = _read_parquet(path, filename, limits)
    else:
        frame = _read_csv(path, filename, head, size, limits)
    if limits.max_rows is not None and len(frame) > limits.max_rows:
        raise TableError(
            f"“{filename}” has {len(frame):,} rows; the limit is {limits.max_rows:,}. "
            "Upload a sample.",
            code="too_many_rows",
        )
    return frame
