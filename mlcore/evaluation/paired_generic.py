"""Paired bootstrap of (other − base) for metrics that are weighted sums over rows.

Accuracy, precision, recall, balanced accuracy, log loss and Brier of a binary run, the
argmax metrics and log loss of a multiclass run, and MAE, RMSE, R² and MAPE of a
regression are each a ratio of weighted sums of per-row terms. A replicate draws one
Poisson(1) weight per row — the same weights for both runs — and recomputes both metrics
from the weighted sums: no resort, no copy of the rows. (ROC AUC, F1 and cost of binary
runs have their own sort-once module, `paired`.)
"""

from collections.abc import Callable

import numpy as np

from mlcore.leaderboard import pair_verdict
from mlcore.rules import Direction

Statistic = Callable[[np.ndarray], float]
EPS = np.finfo(np.float64).eps


def _binary_statistic(metric: str, y: np.ndarray, s: np.ndarray, threshold: float) -> Statistic:
    predicted = s >= threshold
    pos, neg = y == 1, y == 0
    tp, fp = (predicted & pos).astype(float), (predicted & neg).astype(float)
    tn = (~predicted & neg).astype(float)
    clipped = np.clip(s, EPS, 1 - EPS)
    terms = {
        "log_loss": -(pos * np.log(clipped) + neg * np.log(1 - clipped)),
        "brier": (s - y) ** 2,
    }

    def ratio(num: np.ndarray, den: np.ndarray) -> Statistic:
        return lambda w: float(w @ num / d) if (d := float(w @ den)) else 0.0

    if metric in terms:
        term = terms[metric]
        return lambda w: float(w @ term / w.sum())
    if metric == "accuracy":
        return ratio(tp + tn, np.ones(y.size))
    if metric == "precision":
        return ratio(tp, tp + fp)
    if metric == "recall":
        return ratio(tp, pos.astype(float))
    if metric == "balanced_accuracy":
        recall, specificity = ratio(tp, pos.astype(float)), ratio(tn, neg.astype(float))
        return lambda w: (recall(w) + specificity(w)) / 2
    raise KeyError(metric)


def _multiclass_statistic(metric: str, y: np.ndarray, proba: np.ndarray) -> Statistic:
    k = proba.shape[1]
    pred = np.argmax(proba, axis=1)
    cells = y * k + pred
    if metric == "log_loss":
        term = -np.log(np.clip(proba[np.arange(y.size), y], EPS, 1 - EPS))
        return lambda w: float(w @ term / w.sum())

    def from_confusion(w: np.ndarray) -> float:
        cm = np.bincount(cells, weights=w, minlength=k * k).reshape(k, k)
        tp, support, predicted = np.diag(cm), cm.sum(axis=1), cm.sum(axis=0)
        if metric == "accuracy":
            return float(tp.sum() / cm.sum())
        recall = np.divide(tp, support, out=np.zeros(k), where=support > 0)
        if metric == "balanced_accuracy":
            return float(recall.mean())
        f1 = np.divide(2 * tp, support + predicted, out=np.zeros(k), where=support + predicted > 0)
        if metric == "macro_f1":
            return float(f1.mean())
        if metric == "weighted_f1":
            return float(f1 @ support / support.sum())
        raise KeyError(metric)

    return from_confusion


def _regression_statistic(metric: str, y: np.ndarray, f: np.ndarray) -> Statistic:
    r = f - y
    if metric == "mae":
        a = np.abs(r)
        return lambda w: float(w @ a / w.sum())
    if metric == "rmse":
        sq = r * r
        return lambda w: float(np.sqrt(w @ sq / w.sum()))
    if metric == "mape":
        if (y == 0).any():
            raise KeyError(metric)
        rel = np.abs(r) / np.abs(y)
        return lambda w: float(w @ rel / w.sum())
    if metric == "r2":
        sq = r * r

        def r2(w: np.ndarray) -> float:
            mean = float(w @ y / w.sum())
            spread = float(w @ (y - mean) ** 2)
            return 1 - float(w @ sq) / spread if spread > 0 else float("nan")

        return r2
    raise KeyError(metric)


def statistic_for(
    task: str, metric: str, y: np.ndarray, predictions: np.ndarray, threshold: float = 0.5
) -> Statistic | None:
    """The weighted statistic for a task's metric, or None when it is not a row-weighted sum."""
    try:
        if task == "binary":
            return _binary_statistic(metric, y, predictions, threshold)
        if task == "multiclass":
            return _multiclass_statistic(metric, y, predictions)
        return _regression_statistic(metric, y, predictions)
    except KeyError:
        return None


def paired_difference(
    base: Statistic,
    other: Statistic,
    n: int,
    *,
    direction: Direction | str,
    replicates: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict:
    """Estimate, percentile interval and verdict of other − base under shared Poisson weights."""
    ones = np.ones(n)
    estimate = other(ones) - base(ones)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(replicates):
        w = rng.poisson(1.0, n).astype(np.float64)
        if not w.any():
            continue
        value = other(w) - base(w)
        if np.isfinite(value):
            values.append(value)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail]) if values else (np.nan, np.nan)
    return {
        "estimate": float(estimate),
        "low": float(low),
        "high": float(high),
        "level": level,
        "replicates": len(values),
        "verdict": pair_verdict(float(low), float(high), direction),
    }
