"""Bootstrap intervals for multiclass and regression headline metrics (fixed seed, 95 %).

Each replicate draws a Poisson(1) weight per row (as `intervals.bootstrap_binary` does),
so a replicate is one weighted bincount or dot product, never a resort or a copy of the
rows. Percentile intervals; replicates on which a metric is undefined are skipped.
"""

from collections.abc import Callable

import numpy as np

from mlcore.bootstrap import Interval


def _percentile_interval(
    estimate: float | None, values: list[float], level: float
) -> Interval | None:
    finite = [v for v in values if np.isfinite(v)]
    if estimate is None or not finite:
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(
        estimate=float(estimate),
        low=float(low),
        high=float(high),
        level=level,
        replicates=len(finite),
    )


def _weighted_replicates(
    n: int, replicates: int, seed: int, statistics: Callable[[np.ndarray], dict[str, float]]
) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {}
    for _ in range(replicates):
        weights = rng.poisson(1.0, size=n).astype(np.float64)
        if not weights.any():
            continue
        for name, value in statistics(weights).items():
            out.setdefault(name, []).append(value)
    return out


def _accuracy_macro_f1(true_idx: np.ndarray, pred_idx: np.ndarray, k: int, w: np.ndarray) -> dict:
    cm = np.bincount(true_idx * k + pred_idx, weights=w, minlength=k * k).reshape(k, k)
    tp = np.diag(cm)
    den = cm.sum(axis=0) + cm.sum(axis=1)
    f1 = np.divide(2 * tp, den, out=np.zeros(k), where=den > 0)
    return {"accuracy": float(tp.sum() / w.sum()), "macro_f1": float(f1.mean())}


def bootstrap_multiclass(
    true_idx: np.ndarray,
    pred_idx: np.ndarray,
    k: int,
    *,
    replicates: int = 300,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, dict | None]:
    """Intervals on accuracy and macro F1 from class indices of the truth and the argmax."""
    true_idx = np.asarray(true_idx, dtype=np.int64)
    pred_idx = np.asarray(pred_idx, dtype=np.int64)
    estimate = _accuracy_macro_f1(true_idx, pred_idx, k, np.ones(true_idx.size))
    values = _weighted_replicates(
        true_idx.size,
        replicates,
        seed,
        lambda w: _accuracy_macro_f1(true_idx, pred_idx, k, w),
    )
    return {
        name: _as_dict(_percentile_interval(estimate[name], values.get(name, []), level))
        for name in estimate
    }


def _regression_statistics(y: np.ndarray, residual: np.ndarray, w: np.ndarray) -> dict:
    total = w.sum()
    sq = float(np.dot(w, residual * residual))
    mean = float(np.dot(w, y)) / total
    spread = float(np.dot(w, (y - mean) ** 2))
    return {
        "mae": float(np.dot(w, np.abs(residual))) / total,
        "rmse": float(np.sqrt(sq / total)),
        "r2": 1.0 - sq / spread if spread > 0 else float("nan"),
    }


def bootstrap_regression(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    *,
    replicates: int = 300,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, dict | None]:
    """Intervals on MAE, RMSE and R² (R² None when y_true is constant)."""
    y = np.asarray(y_true, dtype=np.float64)
    residual = np.asarray(y_pred, dtype=np.float64) - y
    estimate = _regression_statistics(y, residual, np.ones(y.size))
    values = _weighted_replicates(
        y.size, replicates, seed, lambda w: _regression_statistics(y, residual, w)
    )
    return {
        name: _as_dict(
            _percentile_interval(
                None if not np.isfinite(estimate[name]) else estimate[name],
                values.get(name, []),
                level,
            )
        )
        for name in estimate
    }


def _as_dict(interval: Interval | None) -> dict | None:
    return None if interval is None else interval.to_dict()
