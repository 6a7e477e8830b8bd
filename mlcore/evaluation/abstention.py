"""Abstention: answer only confident cases, send the rest to the fallback, from one sort.

Confidence is the distance of the score from the operating threshold, |score − threshold|
(not max(p, 1 − p)): it ranks cases by how far they are from flipping the decision actually
made, which is what matters when the threshold is not 0.5. A case is answered when its
confidence >= the cut-off; cut-offs are the distinct confidences, highest first, so the
curve runs from the fewest answered cases to all of them.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mlcore.costs import DecisionCosts
from mlcore.evaluation.sweep import validate_binary

MAX_POINTS = 500
_THREE = np.uint64(3)


@dataclass(frozen=True)
class AbstentionPoint:
    """Coverage, quality on the answered cases and total cost at one confidence cut-off."""

    cutoff: float
    coverage: float
    answered: int
    accuracy: float
    precision: float
    cost_per_decision: float | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True, eq=False)
class AbstentionCurve:
    """Coverage–quality–cost at every distinct confidence cut-off (highest cut-off first)."""

    threshold: float
    cutoffs: np.ndarray
    answered: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    n: int
    cost_per_decision: np.ndarray | None
    target: AbstentionPoint | None

    @property
    def coverage(self) -> np.ndarray:
        return self.answered / self.n

    @property
    def accuracy(self) -> np.ndarray:
        return (self.tp + self.tn) / self.answered

    @property
    def precision(self) -> np.ndarray:
        den = self.tp + self.fp
        out = np.zeros(den.size)
        np.divide(self.tp, den, out=out, where=den != 0)
        return out

    def point(self, k: int) -> AbstentionPoint:
        """The curve's k-th cut-off as a point."""
        return AbstentionPoint(
            cutoff=float(self.cutoffs[k]),
            coverage=float(self.coverage[k]),
            answered=int(self.answered[k]),
            accuracy=float(self.accuracy[k]),
            precision=float(self.precision[k]),
            cost_per_decision=(
                None if self.cost_per_decision is None else float(self.cost_per_decision[k])
            ),
        )

    def to_dict(self) -> dict:
        idx = np.arange(self.cutoffs.size)
        if idx.size > MAX_POINTS:
            idx = np.unique(np.linspace(0, idx.size - 1, MAX_POINTS).round().astype(np.int64))
        return {
            "threshold": self.threshold,
            "cutoffs": self.cutoffs[idx].tolist(),
            "coverage": self.coverage[idx].tolist(),
            "accuracy": self.accuracy[idx].tolist(),
            "precision": self.precision[idx].tolist(),
            "cost_per_decision": (
                None if self.cost_per_decision is None else self.cost_per_decision[idx].tolist()
            ),
            "target": None if self.target is None else self.target.to_dict(),
        }


def cutoff_for_target(
    curve: AbstentionCurve,
    *,
    target_precision: float | None = None,
    target_accuracy: float | None = None,
) -> AbstentionPoint | None:
    """The cut-off with the largest coverage whose answered cases meet the target, else None."""
    if (target_precision is None) == (target_accuracy is None):
        raise ValueError("Give exactly one of target_precision and target_accuracy.")
    if target_precision is not None:
        meets = curve.precision >= target_precision
    else:
        meets = curve.accuracy >= target_accuracy
    if not meets.any():
        return None
    return curve.point(int(np.flatnonzero(meets)[-1]))


def abstention_curve(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    threshold: float = 0.5,
    fallback_cost_per_case: float = 0.0,
    costs: DecisionCosts | None = None,
    target_precision: float | None = None,
    target_accuracy: float | None = None,
) -> AbstentionCurve:
    """Coverage, quality and cost (model on answered + fallback on deferred) per cut-off."""
    y, s = validate_binary(y_true, scores)
    n = y.size
    confidence = np.abs(s - threshold)
    # Key = confidence bits | predicted-positive bit | label bit; confidence ≤ 1 keeps the
    # two top bits clear, so one uint64 sort orders the rows and carries both bits.
    keys = (confidence + 0.0).view(np.uint64)
    del confidence
    keys <<= np.uint64(2)
    keys |= (s >= threshold).astype(np.uint64) << np.uint64(1)
    keys |= y.astype(np.uint64, copy=False)
    keys.sort()
    keys = keys[::-1]
    code = keys & _THREE
    predicted = np.cumsum(code >= 2, dtype=np.int64)
    positive = np.cumsum(code & np.uint64(1), dtype=np.int64)
    tp_all = np.cumsum(code == 3, dtype=np.int64)
    del code
    values = keys >> np.uint64(2)
    ends = np.r_[np.flatnonzero(values[1:] != values[:-1]), n - 1]
    cutoffs = values[ends].view(np.float64)
    tp = tp_all[ends]
    fp = predicted[ends] - tp
    fn = positive[ends] - tp
    answered = ends + 1
    tn = answered - tp - fp - fn
    cost = None
    if costs is not None:
        cost = (
            fn * costs.cost_fn
            + fp * costs.cost_fp
            - tp * costs.value_tp
            - tn * costs.value_tn
            + (n - answered) * fallback_cost_per_case
        ) / n
    curve = AbstentionCurve(float(threshold), cutoffs, answered, tp, fp, tn, fn, n, cost, None)
    if target_precision is None and target_accuracy is None:
        return curve
    target = cutoff_for_target(
        curve, target_precision=target_precision, target_accuracy=target_accuracy
    )
    return AbstentionCurve(float(threshold), cutoffs, answered, tp, fp, tn, fn, n, cost, target)
