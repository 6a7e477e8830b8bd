"""Per-segment metrics for multiclass and regression runs (binary has `segments`).

Multiclass: accuracy and macro F1 of the argmax per segment; regression: MAE, RMSE and R².
Each segment's headline metric (accuracy / RMSE) gets a 95 % normal-approximation interval
(accuracy: Wilson; RMSE: delta method on the mean squared error), and the weakest segment
— the worst headline value among segments of at least MIN_ROWS rows — is flagged.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

MIN_ROWS = 5
Z = 1.959963984540054


@dataclass(frozen=True)
class TaskSegmentRow:
    """One segment's size, metrics and headline interval."""

    value: str
    n: int
    metrics: dict[str, float | None]
    low: float | None
    high: float | None
    weakest: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def _wilson(correct: int, n: int) -> tuple[float, float]:
    p = correct / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def _multiclass_row(
    true_idx: np.ndarray, pred_idx: np.ndarray, k: int, value: str
) -> TaskSegmentRow:
    n = true_idx.size
    cm = np.bincount(true_idx * k + pred_idx, minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(float)
    support, predicted = cm.sum(axis=1), cm.sum(axis=0)
    present = support > 0  # macro F1 over the classes present in the segment
    den = support + predicted
    f1 = np.divide(2 * tp, den, out=np.zeros(k), where=den > 0)
    correct = int(tp.sum())
    low, high = _wilson(correct, n)
    return TaskSegmentRow(
        value=value,
        n=n,
        metrics={"accuracy": correct / n, "macro_f1": float(f1[present].mean())},
        low=low,
        high=high,
    )


def _regression_row(y: np.ndarray, f: np.ndarray, value: str) -> TaskSegmentRow:
    n = y.size
    sq = (f - y) ** 2
    mse = float(sq.mean())
    rmse = math.sqrt(mse)
    spread = float(((y - y.mean()) ** 2).sum())
    low = high = None
    if n > 1 and rmse > 0:
        se_mse = float(sq.std(ddof=1)) / math.sqrt(n)
        half = Z * se_mse / (2 * rmse)  # delta method: d sqrt(m) = dm / (2 sqrt(m))
        low, high = max(0.0, rmse - half), rmse + half
    return TaskSegmentRow(
        value=value,
        n=n,
        metrics={
            "mae": float(np.abs(f - y).mean()),
            "rmse": rmse,
            "r2": 1 - float(sq.sum()) / spread if spread > 0 else None,
        },
        low=low,
        high=high,
    )


def task_segment_metrics(
    task: str, y: np.ndarray, predictions: np.ndarray, segments: np.ndarray, *, k: int = 0
) -> list[TaskSegmentRow]:
    """Rows per segment value, largest first, the weakest flagged.

    Multiclass: `y` and `predictions` are class indices (truth, argmax) and `k` the number
    of classes; regression: truths and predictions. Missing segment values form "(missing)".
    """
    keys = np.array(["(missing)" if v is None or v != v else str(v) for v in segments])
    rows = []
    for value in np.unique(keys):
        mask = keys == value
        if task == "multiclass":
            rows.append(_multiclass_row(y[mask], predictions[mask], k, str(value)))
        else:
            rows.append(_regression_row(y[mask], predictions[mask], str(value)))
    rows.sort(key=lambda r: (-r.n, r.value))
    headline, worse = ("accuracy", min) if task == "multiclass" else ("rmse", max)
    eligible = [r for r in rows if r.n >= MIN_ROWS]
    if len(eligible) > 1:
        weakest = worse(eligible, key=lambda r: r.metrics[headline])
        rows = [TaskSegmentRow(**{**r.__dict__, "weakest": r is weakest}) for r in rows]
    return rows
