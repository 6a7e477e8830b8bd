"""The threshold sweep: TP/FP/TN/FN at every distinct score from one sort.

Scores are validated probabilities in [0, 1]. A non-negative float64 has its two top bits
clear and its bit pattern orders like its value, so `(bits << 1) | label` is a uint64 key
whose plain `np.sort` yields the scores ascending with their labels attached: one sort of
the scores, no argsort (which is several times slower) and no gather. Thresholds are the
distinct scores, a row is predicted positive when score >= threshold (as scikit-learn's
roc_curve and precision_recall_curve).
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

_ONE = np.uint64(1)


def validate_binary(y_true: ArrayLike, scores: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check 0/1 labels and [0, 1] scores; a ValueError names the first bad row."""
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=np.float64)
    if y.ndim != 1 or s.ndim != 1:
        raise ValueError(f"y_true and scores must be 1-D, got shapes {y.shape} and {s.shape}.")
    if y.shape != s.shape:
        raise ValueError(f"y_true has {y.size} rows but scores has {s.size}.")
    if y.size == 0:
        raise ValueError("Cannot evaluate an empty set of predictions.")
    # min/max propagate NaN, so one pass each answers the common all-good case.
    if not (s.min() >= 0.0 and s.max() <= 1.0):
        if np.isnan(s).any():
            row = int(np.flatnonzero(np.isnan(s))[0])
            raise ValueError(f"scores contain NaN at row {row}.")
        row = int(np.flatnonzero((s < 0.0) | (s > 1.0))[0])
        raise ValueError(f"scores must be probabilities in [0, 1], found {s[row]!r} at row {row}.")
    labels_ok = y.dtype == np.bool_
    if y.dtype.kind in "iu":
        labels_ok = bool(y.min() >= 0 and y.max() <= 1)
    if not labels_ok:
        if y.dtype.kind in "iuf":
            bad = (y != 0) & (y != 1)
        else:
            bad = np.array([v not in (0, 1) or isinstance(v, str) for v in y.tolist()])
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            found = y[row].item() if isinstance(y[row], np.generic) else y[row]
            raise ValueError(f"y_true must hold 0/1 labels, found {found!r} at row {row}.")
    return y, s


def sorted_keys(y: np.ndarray, s: np.ndarray, *, label_bits: int = 1) -> np.ndarray:
    """Scores (non-negative) as ascending uint64 keys with `label_bits` low bits of label."""
    keys = (s + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0 (and copies)
    keys <<= np.uint64(label_bits)
    keys |= y.astype(np.uint64, copy=False)
    keys.sort()
    return keys


@dataclass(frozen=True)
class ConfusionCounts:
    """Confusion-matrix counts at one threshold (positive when score >= threshold)."""

    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def matrix(self) -> list[list[int]]:
        """[[tn, fp], [fn, tp]], the layout of sklearn.metrics.confusion_matrix."""
        return [[self.tn, self.fp], [self.fn, self.tp]]

    def to_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "matrix": self.matrix,
        }


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with 0 where den is 0 (scikit-learn's zero_division=0)."""
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


@dataclass(frozen=True, eq=False)
class Sweep:
    """Counts at every distinct score, thresholds descending (index 0 = highest score)."""

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    n_pos: int
    n_neg: int

    @property
    def n(self) -> int:
        return self.n_pos + self.n_neg

    @property
    def fn(self) -> np.ndarray:
        return self.n_pos - self.tp

    @property
    def tn(self) -> np.ndarray:
        return self.n_neg - self.fp

    @property
    def precision(self) -> np.ndarray:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> np.ndarray:
        return _ratio(self.tp, np.full(1, self.n_pos))

    @property
    def fpr(self) -> np.ndarray:
        return _ratio(self.fp, np.full(1, self.n_neg))

    @property
    def f1(self) -> np.ndarray:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @cached_property
    def _ascending(self) -> np.ndarray:
        return self.thresholds[::-1]

    def index_at(self, threshold: float) -> int:
        """Sweep index of the lowest distinct score >= threshold, -1 when none (binary search)."""
        below = int(np.searchsorted(self._ascending, threshold, side="left"))
        return self.thresholds.size - below - 1

    def at(self, threshold: float) -> ConfusionCounts:
        """Confusion counts when predicting positive for score >= threshold."""
        k = self.index_at(threshold)
        tp, fp = (int(self.tp[k]), int(self.fp[k])) if k >= 0 else (0, 0)
        return ConfusionCounts(float(threshold), tp, fp, self.n_neg - fp, self.n_pos - tp)

    def roc_auc(self) -> float | None:
        """Trapezoidal area under the ROC curve in exact integers; None with one class."""
        if self.n_pos == 0 or self.n_neg == 0:
            return None
        d_fp = np.diff(self.fp, prepend=0)
        tp_sum = self.tp + np.r_[0, self.tp[:-1]]
        twice_area = int(np.dot(d_fp, tp_sum))
        return twice_area / (2.0 * self.n_pos * self.n_neg)

    def average_precision(self) -> float | None:
        """Σ (Rₖ − Rₖ₋₁)·Pₖ over descending thresholds (sklearn's step definition)."""
        if self.n_pos == 0:
            return None
        d_tp = np.diff(self.tp, prepend=0)
        return float(np.dot(d_tp, self.tp / (self.tp + self.fp))) / self.n_pos


def sweep_from_keys(keys: np.ndarray) -> tuple[Sweep, np.ndarray, np.ndarray]:
    """Sweep from ascending label-bit keys, plus distinct values and class counts per value."""
    n = keys.size
    labels = keys & _ONE
    pos_before = np.empty(n + 1, dtype=np.int64)
    pos_before[0] = 0
    np.cumsum(labels, out=pos_before[1:])
    del labels
    values = keys >> _ONE
    change = values[1:] != values[:-1]
    starts = np.empty(int(np.count_nonzero(change)) + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = np.flatnonzero(change)
    starts[1:] += 1
    del change
    distinct = values[starts].view(np.float64)
    del values
    n_pos = int(pos_before[-1])
    pos_run_start = pos_before[starts]
    ends = np.r_[starts[1:], n]
    pos_per_run = pos_before[ends] - pos_run_start
    tp = (n_pos - pos_run_start)[::-1]
    fp = ((n - starts) - (n_pos - pos_run_start))[::-1]
    sweep = Sweep(distinct[::-1], tp, fp, n_pos, n - n_pos)
    return sweep, distinct, np.stack([ends - starts - pos_per_run, pos_per_run])


def threshold_sweep(y_true: ArrayLike, scores: ArrayLike) -> Sweep:
    """TP/FP/TN/FN at every distinct score from one sort of the scores."""
    y, s = validate_binary(y_true, scores)
    return sweep_from_keys(sorted_keys(y, s))[0]
