"""Metrics computed from one sort of the scores, exact to scikit-learn's definitions."""

import numpy as np
from numpy.typing import ArrayLike


def _binary_arrays(y_true: ArrayLike, scores: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=np.float64)
    if y.ndim != 1 or s.ndim != 1 or y.shape != s.shape:
        raise ValueError(
            f"y_true and scores must be 1-D of equal length, got {y.shape} and {s.shape}."
        )
    if np.isnan(s).any():
        raise ValueError(f"scores contain NaN at row {int(np.flatnonzero(np.isnan(s))[0])}.")
    not_binary = (y != 0) & (y != 1)
    if not_binary.any():
        row = int(np.flatnonzero(not_binary)[0])
        raise ValueError(f"y_true must hold 0/1 labels, found {y[row]!r} at row {row}.")
    return y.astype(bool), s


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve as the Mann–Whitney statistic with tied scores sharing ranks.

    Equals sklearn.metrics.roc_auc_score; undefined (ValueError) when one class is absent.
    """
    y, s = _binary_arrays(y_true, scores)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC is undefined when only one class is present in y_true.")
    # P(score_pos > score_neg) + ½ P(tie), counted with two half-size sorts and a merge
    # (searchsorted of sorted queries); integer counts keep it exact.
    negatives = np.sort(s[~y])
    positives = np.sort(s[y])
    below = np.searchsorted(negatives, positives, side="left")
    below_or_tied = np.searchsorted(negatives, positives, side="right")
    wins_twice = int(below.sum()) + int(below_or_tied.sum())
    return wins_twice / (2.0 * n_pos * n_neg)


def _run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """Indices where a run of equal values begins in a sorted array."""
    return np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks where tied values share the mean of their positions (one sort)."""
    order = np.argsort(values)
    sorted_values = values[order]
    starts = _run_starts(sorted_values)
    ends = np.r_[starts[1:], sorted_values.size]
    run_ranks = (starts + 1 + ends) / 2.0
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(run_ranks, ends - starts)
    return ranks
