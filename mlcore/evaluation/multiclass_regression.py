"""Multiclass (argmax) and regression metric suites, each equal to scikit-learn's.

Multiclass: predictions are `labels[argmax(proba)]` (first column on ties); precision,
recall and F1 use zero_division=0; macro averages run over every label in `labels`,
weighted ones by true support. Log loss clips at float64 eps as scikit-learn does.
One-vs-rest ROC AUC per class is the Mann–Whitney statistic with average ranks for ties
(the trapezoidal area); the macro AUC is None when some label is absent from y_true.

Regression: residuals are y_pred − y_true; quantiles use numpy's linear interpolation.
R² is None for a constant y_true and MAPE is None when any y_true is 0.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

SUM_TOLERANCE = 1e-6
RESIDUAL_QUANTILES = (5, 25, 50, 75, 95)


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall, F1, support and one-vs-rest ROC AUC of one class."""

    label: object
    precision: float
    recall: float
    f1: float
    support: int
    roc_auc: float | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class MulticlassEvaluation:
    """Argmax metric suite, log loss, OvR ROC AUC and confusion matrix in `labels` order."""

    n: int
    labels: list
    accuracy: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    weighted_precision: float
    weighted_recall: float
    weighted_f1: float
    log_loss: float
    roc_auc_ovr_macro: float | None
    confusion_matrix: list[list[int]]
    per_class: list[ClassMetrics]
    undefined: dict[str, str]

    def to_dict(self) -> dict:
        out = dict(self.__dict__)
        out["labels"] = list(self.labels)
        out["confusion_matrix"] = [list(row) for row in self.confusion_matrix]
        out["per_class"] = [c.to_dict() for c in self.per_class]
        out["undefined"] = dict(self.undefined)
        return out


@dataclass(frozen=True)
class RegressionEvaluation:
    """Error metrics and residual (y_pred − y_true) quantiles for a regression."""

    n: int
    mae: float
    rmse: float
    r2: float | None
    mape: float | None
    residual_quantiles: dict[str, float]
    undefined: dict[str, str]

    def to_dict(self) -> dict:
        out = dict(self.__dict__)
        out["residual_quantiles"] = dict(self.residual_quantiles)
        out["undefined"] = dict(self.undefined)
        return out


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _first_row(bad: np.ndarray) -> int:
    return int(np.flatnonzero(bad)[0])


def _label_indices(y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Index of each y_true value in `labels`; a ValueError names the first unknown row."""
    numeric = y.dtype.kind in "biuf"
    if (
        numeric == (labels.dtype.kind in "biuf")
        and y.dtype.kind != "O"
        and labels.dtype.kind != "O"
    ):
        order = np.argsort(labels, kind="stable")
        pos = np.searchsorted(labels[order], y)
        pos = np.minimum(pos, labels.size - 1)
        idx = order[pos]
        bad = labels[idx] != y
    else:
        lookup = {_plain(v): i for i, v in enumerate(labels.tolist())}
        idx = np.array([lookup.get(v, -1) for v in y.tolist()], dtype=np.int64)
        bad = idx < 0
    if bad.any():
        row = _first_row(bad)
        raise ValueError(f"y_true holds {_plain(y[row])!r} at row {row}, which is not in labels.")
    return idx.astype(np.int64, copy=False)


def _validate_multiclass(
    y_true: ArrayLike, proba: ArrayLike, labels: Sequence
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check labels, (n, k) probabilities and rows summing to 1; errors name the first bad row."""
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.size < 2:
        raise ValueError(f"labels must be a 1-D sequence of at least 2 labels, got {labels!r}.")
    if len({_plain(v) for v in lab.tolist()}) != lab.size:
        raise ValueError(f"labels must be distinct, got {labels!r}.")
    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError(f"y_true must be 1-D, got shape {y.shape}.")
    if p.ndim != 2 or p.shape[1] != lab.size:
        raise ValueError(
            f"proba must have shape (n, {lab.size}) for {lab.size} labels, got {p.shape}."
        )
    if p.shape[0] != y.size:
        raise ValueError(f"y_true has {y.size} rows but proba has {p.shape[0]}.")
    if y.size == 0:
        raise ValueError("Cannot evaluate an empty set of predictions.")
    if not (p.min() >= 0.0 and p.max() <= 1.0):
        nan_rows = np.isnan(p).any(axis=1)
        if nan_rows.any():
            raise ValueError(f"proba contains NaN at row {_first_row(nan_rows)}.")
        out_rows = ((p < 0.0) | (p > 1.0)).any(axis=1)
        row = _first_row(out_rows)
        raise ValueError(
            f"proba must be probabilities in [0, 1], found {p[row].tolist()} at row {row}."
        )
    sums = p.sum(axis=1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        row = _first_row(off)
        raise ValueError(
            f"proba rows must sum to 1 (±{SUM_TOLERANCE}), row {row} sums to {float(sums[row])!r}."
        )
    return _label_indices(y, lab), p, lab


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Elementwise num / den with 0 where den is 0 (zero_division=0)."""
    out = np.zeros(num.shape, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _ovr_auc(p: np.ndarray, idx: np.ndarray, support: np.ndarray) -> list[float | None]:
    """One-vs-rest ROC AUC per class by average ranks; None for a class absent or alone."""
    n = idx.size
    ranks = rankdata(p, method="average", axis=0)
    onehot = np.zeros(p.shape, dtype=bool)
    onehot[np.arange(n), idx] = True
    pos_rank_sum = np.where(onehot, ranks, 0.0).sum(axis=0)
    out: list[float | None] = []
    for j, n_pos in enumerate(support.tolist()):
        n_neg = n - n_pos
        if n_pos == 0 or n_neg == 0:
            out.append(None)
            continue
        u = pos_rank_sum[j] - n_pos * (n_pos + 1) / 2.0
        out.append(float(u / (n_pos * n_neg)))
    return out


def evaluate_multiclass(
    y_true: ArrayLike, proba: ArrayLike, *, labels: Sequence
) -> MulticlassEvaluation:
    """Argmax metrics, log loss, OvR macro ROC AUC and confusion matrix for (n, k) probabilities."""
    idx, p, lab = _validate_multiclass(y_true, proba, labels)
    n, k = p.shape
    pred = np.argmax(p, axis=1)
    cm = np.bincount(idx * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    precision = _div(tp, predicted.astype(np.float64))
    recall = _div(tp, support.astype(np.float64))
    f1 = _div(2 * tp, (support + predicted).astype(np.float64))
    weights = support / n

    eps = np.finfo(np.float64).eps
    log_loss = float(-np.log(np.clip(p[np.arange(n), idx], eps, 1 - eps)).sum() / n)

    undefined = {}
    aucs = _ovr_auc(p, idx, support)
    if any(a is None for a in aucs):
        absent = [_plain(lab[j]) for j, a in enumerate(aucs) if a is None]
        undefined["roc_auc_ovr_macro"] = (
            f"undefined: labels {absent!r} are absent from y_true (or are its only class)"
        )
        roc_auc = None
    else:
        roc_auc = float(np.mean(aucs))

    labels_out = [_plain(v) for v in lab.tolist()]
    per_class = [
        ClassMetrics(
            label=labels_out[j],
            precision=float(precision[j]),
            recall=float(recall[j]),
            f1=float(f1[j]),
            support=int(support[j]),
            roc_auc=aucs[j],
        )
        for j in range(k)
    ]
    return MulticlassEvaluation(
        n=n,
        labels=labels_out,
        accuracy=float(tp.sum() / n),
        macro_precision=float(precision.mean()),
        macro_recall=float(recall.mean()),
        macro_f1=float(f1.mean()),
        weighted_precision=float(np.dot(weights, precision)),
        weighted_recall=float(np.dot(weights, recall)),
        weighted_f1=float(np.dot(weights, f1)),
        log_loss=log_loss,
        roc_auc_ovr_macro=roc_auc,
        confusion_matrix=cm.tolist(),
        per_class=per_class,
        undefined=undefined,
    )


def _validate_regression(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check 1-D, equal-length, finite arrays; a ValueError names the first bad row."""
    y = np.asarray(y_true, dtype=np.float64)
    f = np.asarray(y_pred, dtype=np.float64)
    if y.ndim != 1 or f.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D, got shapes {y.shape} and {f.shape}.")
    if y.shape != f.shape:
        raise ValueError(f"y_true has {y.size} rows but y_pred has {f.size}.")
    if y.size == 0:
        raise ValueError("Cannot evaluate an empty set of predictions.")
    for name, values in (("y_true", y), ("y_pred", f)):
        finite = np.isfinite(values)
        if not finite.all():
            row = _first_row(~finite)
            raise ValueError(
                f"{name} contains {float(values[row])!r} at row {row}; values must be finite."
            )
    return y, f


def evaluate_regression(y_true: ArrayLike, y_pred: ArrayLike) -> RegressionEvaluation:
    """MAE, RMSE, R², MAPE (where defined) and residual quantiles for finite predictions."""
    y, f = _validate_regression(y_true, y_pred)
    n = y.size
    residual = f - y
    abs_err = np.abs(residual)
    sq_sum = float(np.dot(residual, residual))
    undefined = {}

    r2 = None
    if y.min() == y.max():
        undefined["r2"] = "undefined: y_true is constant"
    else:
        centred = y - y.mean()
        r2 = 1.0 - sq_sum / float(np.dot(centred, centred))

    mape = None
    zero = y == 0
    if zero.any():
        undefined["mape"] = f"undefined: y_true is 0 at row {_first_row(zero)}"
    else:
        mape = float(np.mean(abs_err / np.abs(y)))

    quantiles = np.quantile(residual, [q / 100 for q in RESIDUAL_QUANTILES])
    return RegressionEvaluation(
        n=n,
        mae=float(abs_err.mean()),
        rmse=float(np.sqrt(sq_sum / n)),
        r2=r2,
        mape=mape,
        residual_quantiles={
            f"p{q}": float(v) for q, v in zip(RESIDUAL_QUANTILES, quantiles, strict=True)
        },
        undefined=undefined,
    )
