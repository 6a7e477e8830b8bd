"""Data-quality profile of a table: per-column summaries and plain-language warnings.

Each numeric column is sorted once; its quantiles, distinct count, histogram and IQR
outliers all come from that sort. Text columns are factorised once; their counts and
codes serve the summary, the duplicate-row check and the leakage check.
"""

from mlcore.profile.overlap import overlap_warning, row_overlap
from mlcore.profile.results import (
    ColumnProfile,
    DataWarning,
    TableProfile,
    jsonable,
    sorted_quantile,
)
from mlcore.profile.table import profile_table

__all__ = [
    "ColumnProfile",
    "DataWarning",
    "TableProfile",
    "jsonable",
    "overlap_warning",
    "profile_table",
    "row_overlap",
    "sorted_quantile",
]
