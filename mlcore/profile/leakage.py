"""Target-leakage suspects: one feature that predicts the target almost perfectly."""

import numpy as np
import pandas as pd

from mlcore.metrics import average_ranks, roc_auc
from mlcore.profile.checks import _id_like
from mlcore.profile.results import DataWarning, _Column, sorted_quantile

# Target leakage is checked on a fixed-seed sample of this many labelled rows (all of them
# when there are fewer), which keeps it a fraction of a second on a million rows.
LEAKAGE_SAMPLE_ROWS = 100_000

LEAKAGE_SEED = 0

LEAKAGE_AUC = 0.98

LEAKAGE_PURITY = 0.99

LEAKAGE_CORRELATION = 0.98

LEAKAGE_MIN_ROWS = 20

LEAKAGE_ROWS_PER_GROUP = 20

LEAKAGE_MAX_BINS = 200


def _leakage_sample(df: pd.DataFrame, target_index: int | None) -> np.ndarray:
    """Row positions for the leakage check: labelled rows, a fixed-seed sample if many."""
    if target_index is None:
        return np.empty(0, dtype=np.int64)
    rows = np.flatnonzero(df.iloc[:, target_index].notna().to_numpy())
    if rows.size > LEAKAGE_SAMPLE_ROWS:
        rng = np.random.default_rng(LEAKAGE_SEED)
        rows = np.sort(rng.choice(rows, LEAKAGE_SAMPLE_ROWS, replace=False))
    return rows


def _leakage_warnings(
    goal: _Column, features: list[_Column], *, classification: bool
) -> list[DataWarning]:
    """Features that predict the target almost perfectly on their own (on the sample).

    Classification: ROC AUC ≥ 0.98 (either direction) for a numeric feature and a binary
    target; for any feature, class purity ≥ 99 % — predicting each row's class as the
    majority class of its feature value (numbers: of its equal-frequency bin, at least 20
    rows a bin) — when that also halves the errors of always guessing the majority class.
    Regression: |Spearman| ≥ 0.98 for numeric features, η² ≥ 0.98 for categorical ones.
    Category checks need ≥ 20 rows per value; ID-like and constant columns are skipped.
    """
    target = goal.profile.name
    n = goal.sample.size
    if n < LEAKAGE_MIN_ROWS or goal.profile.distinct < 2:
        return []
    if classification:
        _, y = np.unique(goal.sample, return_inverse=True)
        k = int(y.max()) + 1
        baseline = np.bincount(y).max() / n
    elif goal.profile.kind == "numeric":
        y = goal.sample
    else:
        return []  # free text, many-valued categories or times: no target to predict
    out = []
    for feature in features:
        if feature.profile.distinct < 2 or _id_like(feature):
            continue
        x = feature.sample
        if classification:
            evidence = None
            if not feature.coded and k == 2:
                evidence = _auc_evidence(x, y)
            if evidence is None:
                groups = x if feature.coded else _quantile_bins(x)
                evidence = _purity_evidence(groups, y, k, baseline)
        elif feature.coded:
            evidence = _eta_evidence(x, y)
        else:
            evidence = _spearman_evidence(x, y)
        if evidence:
            name = feature.profile.name
            out.append(
                DataWarning(
                    "target_leakage",
                    "critical",
                    name,
                    f"“{name}” predicts the target “{target}” almost perfectly on its own "
                    f"({evidence}). A single feature this good is usually computed from the "
                    "outcome or recorded after it; check how it is produced and drop it if it "
                    "is not known at prediction time.",
                )
            )
    return out


def _groups(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Compact group numbers 0..g-1 (missing, -1, is a group of its own)."""
    uniques, inverse = np.unique(codes, return_inverse=True)
    return inverse, uniques.size


def _quantile_bins(x: np.ndarray) -> np.ndarray:
    """Equal-frequency bins of a numeric sample (-1 for missing), ≥ 20 rows a bin."""
    present = np.sort(x[~np.isnan(x)])
    bins = min(LEAKAGE_MAX_BINS, present.size // LEAKAGE_ROWS_PER_GROUP)
    if bins < 2:
        return np.full(x.size, -1)
    cuts = np.unique([sorted_quantile(present, j / bins) for j in range(1, bins)])
    codes = np.searchsorted(cuts, x, "right")
    codes[np.isnan(x)] = -1
    return codes


def _auc_evidence(x: np.ndarray, y: np.ndarray) -> str | None:
    present = ~np.isnan(x)
    labels = y[present]
    if labels.size < LEAKAGE_MIN_ROWS or labels.min() == labels.max():
        return None
    auc = roc_auc(labels, x[present])
    strength = max(auc, 1 - auc)
    return f"ROC AUC {strength:.3f}" if strength >= LEAKAGE_AUC else None


def _purity_evidence(codes: np.ndarray, y: np.ndarray, k: int, baseline: float) -> str | None:
    groups, count = _groups(codes)
    if count > y.size / LEAKAGE_ROWS_PER_GROUP:
        return None  # too few rows per value to tell a pattern from chance
    table = np.bincount(groups * k + y, minlength=count * k).reshape(count, k)
    purity = table.max(axis=1).sum() / y.size
    if purity >= LEAKAGE_PURITY and 1 - purity <= 0.5 * (1 - baseline):
        return f"its values alone give the right class for {purity:.1%} of rows"
    return None


def _eta_evidence(codes: np.ndarray, y: np.ndarray) -> str | None:
    groups, count = _groups(codes)
    if count > y.size / LEAKAGE_ROWS_PER_GROUP:
        return None
    spread = float(((y - y.mean()) ** 2).sum())
    if spread == 0:
        return None
    sizes = np.bincount(groups, minlength=count)
    means = np.bincount(groups, weights=y, minlength=count) / sizes
    eta2 = float((sizes * (means - y.mean()) ** 2).sum()) / spread
    return (
        f"its values explain {eta2:.1%} of the target's variance"
        if eta2 >= LEAKAGE_CORRELATION
        else None
    )


def _spearman_evidence(x: np.ndarray, y: np.ndarray) -> str | None:
    present = ~np.isnan(x)
    if present.sum() < LEAKAGE_MIN_ROWS:
        return None
    rx, ry = average_ranks(x[present]), average_ranks(y[present])
    if rx.std() == 0 or ry.std() == 0:
        return None
    rho = float(np.corrcoef(rx, ry)[0, 1])
    return f"Spearman correlation {rho:.3f}" if abs(rho) >= LEAKAGE_CORRELATION else None
