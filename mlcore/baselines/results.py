"""Result objects of the ladder, the fitted-model wrapper, JSON-safe conversion and scoring."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from mlcore.baselines.data import Prepared


def json_safe(value: Any) -> Any:
    """Plain Python numbers/strings/lists/dicts; NaN and inf become None."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)


class Predictor(Protocol):
    """Anything that turns prepared feature rows into the task's predictions."""

    def predict(self, x: pd.DataFrame) -> np.ndarray: ...


@dataclass(frozen=True)
class SklearnModel:
    """A fitted scikit-learn estimator answering scores (binary), proba (multiclass) or values."""

    estimator: Any
    task: str
    n_classes: int = 0

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        if self.task == "regression":
            return np.asarray(self.estimator.predict(x), dtype=np.float64)
        proba = np.asarray(self.estimator.predict_proba(x), dtype=np.float64)
        if self.task == "binary":
            return proba[:, list(self.estimator.classes_).index(1)]
        # Align columns to Prepared.classes even if the estimator saw a subset of them.
        full = np.zeros((proba.shape[0], self.n_classes))
        full[:, np.asarray(self.estimator.classes_, dtype=np.int64)] = proba
        return full


@dataclass(frozen=True)
class BaselineResult:
    """One rung of the ladder: what was fitted, how long it took and its evaluation predictions."""

    name: str
    label: str
    family: str
    params: dict[str, Any]
    fit_seconds: float
    predict_seconds: float
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    scores: np.ndarray | None = field(default=None, repr=False, compare=False)
    proba: np.ndarray | None = field(default=None, repr=False, compare=False)
    predicted: np.ndarray | None = field(default=None, repr=False, compare=False)
    model: Predictor | None = field(default=None, repr=False, compare=False)

    @property
    def predictions(self) -> np.ndarray | None:
        for value in (self.scores, self.proba, self.predicted):
            if value is not None:
                return value
        return None

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "name": self.name,
                "label": self.label,
                "family": self.family,
                "params": self.params,
                "fit_seconds": self.fit_seconds,
                "predict_seconds": self.predict_seconds,
                "details": self.details,
                "error": self.error,
            }
        )


@dataclass(frozen=True)
class LadderResult:
    """Every rung trained, in order, and whether the run was stopped before the end."""

    task: str
    classes: list[str]
    positive_label: str | None
    results: list[BaselineResult]
    stopped_early: bool
    total_seconds: float

    def get(self, name: str) -> BaselineResult | None:
        return next((r for r in self.results if r.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "task": self.task,
                "classes": self.classes,
                "positive_label": self.positive_label,
                "results": [r.to_dict() for r in self.results],
                "stopped_early": self.stopped_early,
                "total_seconds": self.total_seconds,
            }
        )


def finish(
    prepared: Prepared,
    *,
    name: str,
    label: str,
    family: str,
    params: dict[str, Any],
    model: Predictor,
    fit_seconds: float,
    details: dict[str, Any] | None = None,
) -> BaselineResult:
    """Predict the evaluation rows with a fitted model and wrap everything in a result."""
    started = time.perf_counter()
    values = model.predict(prepared.x_eval)
    predict_seconds = time.perf_counter() - started
    by_task = {"binary": "scores", "multiclass": "proba", "regression": "predicted"}
    return BaselineResult(
        name=name,
        label=label,
        family=family,
        params=params,
        fit_seconds=fit_seconds,
        predict_seconds=predict_seconds,
        details=details or {},
        model=model,
        **{by_task[prepared.task]: values},
    )


DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "rmse"}
LOWER_IS_BETTER = {"rmse", "mae", "log_loss"}


def metric_value(metric: str, y: np.ndarray, predictions: np.ndarray) -> float:
    """The named metric of predictions against encoded targets (NaN where undefined)."""
    if metric == "roc_auc":
        return float(skm.roc_auc_score(y, predictions)) if np.unique(y).size == 2 else math.nan
    if metric == "accuracy":
        if predictions.ndim == 2:
            return float(np.mean(np.argmax(predictions, axis=1) == y))
        return float(np.mean((predictions >= 0.5) == y))
    if metric == "log_loss":
        proba = (
            predictions
            if predictions.ndim == 2
            else np.column_stack([1 - predictions, predictions])
        )
        return float(skm.log_loss(y, proba, labels=np.arange(proba.shape[1])))
    if metric == "rmse":
        return float(np.sqrt(np.mean((y - predictions) ** 2)))
    if metric == "mae":
        return float(np.mean(np.abs(y - predictions)))
    if metric == "r2":
        return float(skm.r2_score(y, predictions))
    raise ValueError(f"unknown metric '{metric}'")


def higher_is_better_score(task: str, y: np.ndarray, predictions: np.ndarray) -> float:
    """The task's selection score, oriented so that larger is better."""
    metric = DEFAULT_METRIC[task]
    value = metric_value(metric, y, predictions)
    if math.isnan(value):
        return 0.5 if metric == "roc_auc" else -math.inf
    return -value if metric in LOWER_IS_BETTER else value
