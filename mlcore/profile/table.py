"""Profiling a whole table: columns, duplicates, warnings, target balance."""

from collections.abc import Callable

import numpy as np
import pandas as pd

from mlcore.profile.checks import _column_warnings, _target_checks
from mlcore.profile.columns import _profile_column
from mlcore.profile.leakage import _leakage_sample, _leakage_warnings
from mlcore.profile.overlap import _combine
from mlcore.profile.results import SEVERITY_ORDER, DataWarning, TableProfile, _Column


def profile_table(
    df: pd.DataFrame,
    *,
    target: str | None = None,
    on_progress: Callable[[float, str], None] | None = None,
) -> TableProfile:
    """Summaries of every column and the data-quality warnings a reviewer should see."""

    def progress(percent: float, message: str) -> None:
        if on_progress is not None:
            on_progress(percent, message)

    rows = len(df)
    names = [str(c) for c in df.columns]
    if target is not None and target not in names:
        raise ValueError(f"The target column “{target}” is not in the table.")
    sample_rows = _leakage_sample(df, names.index(target) if target is not None else None)
    columns: list[_Column] = []
    row_hash = np.zeros(rows, dtype=np.uint64)
    for i, name in enumerate(names):
        column = _profile_column(name, df.iloc[:, i], sample_rows)
        columns.append(column)
        row_hash = _combine(row_hash, column.row_key)
        column.row_key = np.empty(0, dtype=np.uint64)  # free it: the combined hash holds it
        progress(80 * (i + 1) / max(len(names), 1), f"Profiled column {i + 1} of {len(names)}")
    # Equal rows have equal hashes; with 64 bits a false match among a million rows is about
    # a one-in-thirty-million event, which a data-quality count can afford.
    row_hash.sort()
    duplicates = int(np.count_nonzero(row_hash[1:] == row_hash[:-1])) if names else 0
    del row_hash
    progress(85, "Counted duplicate rows")
    warnings = [
        w for c in columns for w in _column_warnings(c, rows, is_target=c.profile.name == target)
    ]
    if duplicates:
        warnings.append(
            DataWarning(
                "duplicate_rows",
                "warning",
                None,
                f"{duplicates:,} rows ({duplicates / rows:.1%}) are exact copies of an earlier "
                "row. Copies inflate evaluation when one lands in training and its twin in "
                "test data; remove them, or split by the entity they describe.",
            )
        )
    balance = None
    if target is not None:
        by_name = {c.profile.name: c for c in columns}
        goal = by_name[target]
        balance, target_warnings = _target_checks(goal)
        warnings += target_warnings
        progress(90, "Checking features for target leakage")
        features = [c for c in columns if c.profile.name != target]
        warnings += _leakage_warnings(goal, features, classification=balance is not None)
    warnings.sort(key=lambda w: SEVERITY_ORDER[w.severity])
    progress(100, "Profile complete")
    return TableProfile(
        rows=rows,
        columns=len(names),
        duplicate_rows=duplicates,
        memory_bytes=int(df.memory_usage(deep=True).sum()),
        column_profiles=[c.profile for c in columns],
        warnings=warnings,
        target=target,
        target_balance=balance,
    )
