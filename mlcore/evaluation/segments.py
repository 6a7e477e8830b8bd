"""Metrics per segment (slice) of the rows: where a model is weaker than overall.

Each segment gets its size, positives, ROC AUC with a 95 % interval (Hanley & McNeil 1982,
a normal approximation: cheap enough for every slice, no bootstrap), and precision, recall,
F1 and expected cost per decision when predicting positive for score >= threshold.

Undefined values: ROC AUC (and its interval) is None when a segment holds one class only;
precision, recall and F1 are 0.0 when their denominator is 0 (scikit-learn's
`zero_division=0`). The weakest segment is the one with the lowest ROC AUC (ties: the
larger segment); when no segment has a defined ROC AUC, the one with the lowest F1.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

from mlcore.costs import DecisionCosts
from mlcore.metrics import roc_auc

Z95 = 1.959963984540054


@dataclass(frozen=True)
class SegmentRow:
    """One segment's metrics at a threshold."""

    value: str
    n: int
    positives: int
    roc_auc: float | None
    roc_auc_low: float | None
    roc_auc_high: float | None
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    f1: float
    cost_per_decision: float | None
    weakest: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def hanley_mcneil_se(auc: float, n_pos: int, n_neg: int) -> float:
    """Standard error of a ROC AUC from its value and class counts (Hanley & McNeil 1982)."""
    q1 = auc / (2.0 - auc)
    q2 = 2.0 * auc * auc / (1.0 + auc)
    variance = (
        auc * (1.0 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)
    ) / (n_pos * n_neg)
    return math.sqrt(max(variance, 0.0))


def _div(num: float, den: float) -> float:
    return num / den if den else 0.0


def slice_metrics(
    value: str,
    y: np.ndarray,
    s: np.ndarray,
    *,
    threshold: float,
    costs: DecisionCosts | None,
) -> SegmentRow:
    """The metrics of one slice of 0/1 labels `y` and scores `s`."""
    n = int(y.size)
    positives = int(y.sum())
    predicted = s >= threshold
    tp = int((predicted & y).sum())
    fp = int(predicted.sum()) - tp
    fn = positives - tp
    tn = n - positives - fp
    auc = low = high = None
    if 0 < positives < n:
        auc = roc_auc(y, s)
        half = Z95 * hanley_mcneil_se(auc, positives, n - positives)
        low, high = max(0.0, auc - half), min(1.0, auc + half)
    cost = None
    if costs is not None and n:
        cost = (
            fn * costs.cost_fn + fp * costs.cost_fp - tp * costs.value_tp - tn * costs.value_tn
        ) / n
    return SegmentRow(
        value=value,
        n=n,
        positives=positives,
        roc_auc=auc,
        roc_auc_low=low,
        roc_auc_high=high,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=_div(tp, tp + fp),
        recall=_div(tp, positives),
        f1=_div(2 * tp, 2 * tp + fp + fn),
        cost_per_decision=cost,
    )


def _weakest_index(rows: list[SegmentRow]) -> int | None:
    with_auc = [i for i, row in enumerate(rows) if row.roc_auc is not None]
    if with_auc:
        return min(with_auc, key=lambda i: (rows[i].roc_auc, -rows[i].n))
    if rows:
        return min(range(len(rows)), key=lambda i: (rows[i].f1, -rows[i].n))
    return None


def segment_metrics(
    y_true: ArrayLike,
    scores: ArrayLike,
    segments: ArrayLike,
    *,
    threshold: float,
    costs: DecisionCosts | None = None,
) -> list[SegmentRow]:
    """Metrics for each distinct value of `segments`, largest segment first, weakest flagged.

    `y_true` holds 0/1 labels, `scores` the scores, `segments` one label per row (compared
    as strings; a missing value is its own segment, "(missing)").
    """
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    raw = np.asarray(segments, dtype=object)
    if not (y.ndim == s.ndim == raw.ndim == 1) or not (y.size == s.size == raw.size):
        raise ValueError(
            f"y_true, scores and segments must be 1-D of equal length, got {y.shape}, "
            f"{s.shape} and {raw.shape}."
        )
    labels = np.array(
        [
            "(missing)" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            for v in raw
        ],
        dtype=object,
    )
    values, codes = np.unique(labels.astype(str), return_inverse=True)
    rows = [
        slice_metrics(str(value), y[codes == k], s[codes == k], threshold=threshold, costs=costs)
        for k, value in enumerate(values)
    ]
    rows.sort(key=lambda row: (-row.n, row.value))
    weakest = _weakest_index(rows)
    if weakest is not None:
        rows[weakest] = SegmentRow(**{**rows[weakest].to_dict(), "weakest": True})
    return rows
