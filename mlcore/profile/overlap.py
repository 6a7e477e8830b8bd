"""Rows shared between two tables (train/test overlap), by hashing."""

import numpy as np
import pandas as pd

from mlcore.profile.results import DataWarning


def row_overlap(train: pd.DataFrame, other: pd.DataFrame) -> int:
    """Rows of `other` whose values in the shared columns equal some row of `train`."""
    other_names = set(other.columns)
    shared = [c for c in train.columns if c in other_names]
    if not shared or len(train) == 0 or len(other) == 0:
        return 0
    left, right = {}, {}
    for i, name in enumerate(shared):
        left[i], right[i] = _comparable(train[name], other[name])
    train_hash = pd.util.hash_pandas_object(pd.DataFrame(left), index=False)
    other_hash = pd.util.hash_pandas_object(pd.DataFrame(right), index=False)
    # Series.isin uses a hash table, so this is linear in the number of rows.
    return int(other_hash.isin(train_hash.to_numpy()).sum())


def overlap_warning(count: int, rows: int, *, role: str) -> DataWarning | None:
    """A critical warning when evaluation rows also appear in the training data."""
    if count <= 0:
        return None
    share = count / rows if rows else 1.0
    return DataWarning(
        "train_test_overlap",
        "critical",
        None,
        f"{count:,} of the {rows:,} rows ({share:.1%}) of this {role.lower()} data also appear "
        "in the training data. Scores on rows a model was trained on are optimistic; remove "
        "the shared rows from one side or split the data again.",
    )


def _combine(row_hash: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Fold one column's keys into the running row hash, in place.

    Multiplying by an odd constant and xor-shifting are both one-to-one, so distinct keys
    stay distinct and their bits spread before they meet the other columns.
    """
    mixed = keys * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= mixed >> np.uint64(29)
    row_hash *= np.uint64(0x100000001B3)  # position matters: (a, b) must differ from (b, a)
    row_hash ^= mixed
    return row_hash


def _comparable(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The same value in both frames hashes the same, whatever dtype each frame chose."""
    both = (left, right)
    if all(pd.api.types.is_numeric_dtype(s.dtype) for s in both):
        return tuple(pd.Series(s.to_numpy(dtype=np.float64, na_value=np.nan)) for s in both)
    if all(pd.api.types.is_datetime64_any_dtype(s.dtype) for s in both):
        return tuple(pd.Series(s.dt.as_unit("us").array.asi8) for s in both)
    return tuple(s.astype("str").reset_index(drop=True) for s in both)
