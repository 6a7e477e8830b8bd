"""Evaluating a production batch (or one segment of it) exactly as a run is evaluated.

The evaluation dicts have a run's shape, so `apps.runs.metrics.metric_value` reads a batch
like a run: binary batches keep the sweep and the problem's costs, so metrics at the
run's operating threshold and the cost per decision come from the same code.
"""

import math

import numpy as np
import pandas as pd

from apps.problems.models import Problem, TaskType
from apps.runs.predictions import PROBA_PREFIX, SEGMENT_PREFIX
from apps.runs.services import decision_costs
from mlcore.evaluation import evaluate_binary
from mlcore.evaluation.multiclass_regression import evaluate_multiclass, evaluate_regression


def finite(value: object) -> object:
    """JSON has no NaN or infinity: store them as null."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def evaluate_predictions(
    *, problem: Problem, task: str, predictions: pd.DataFrame, threshold: float
) -> dict | None:
    """The metric suite of stored prediction columns (None for no rows)."""
    if len(predictions) == 0:
        return None
    if task == TaskType.MULTICLASS:
        return finite(_multiclass(predictions))
    if task == TaskType.REGRESSION:
        y = predictions["y_true"].to_numpy(dtype=np.float64)
        f = predictions["prediction"].to_numpy(dtype=np.float64)
        return finite({**evaluate_regression(y, f).to_dict(), "task": TaskType.REGRESSION.value})
    costs = decision_costs(problem)
    y = predictions["y_true"].to_numpy(dtype=np.int8)
    s = predictions["score"].to_numpy(dtype=np.float64)
    result = evaluate_binary(
        y, s, threshold=threshold, costs=costs, decisions_per_month=problem.decisions_per_month
    ).to_dict()
    result["decision_costs"] = None if costs is None else costs.__dict__.copy()
    result["decisions_per_month"] = problem.decisions_per_month
    return finite(result)


def _multiclass(predictions: pd.DataFrame) -> dict:
    y = predictions["y_true"].to_numpy(dtype=object)
    proba_cols = [c for c in predictions.columns if c.startswith(PROBA_PREFIX)]
    if proba_cols:
        labels = [c[len(PROBA_PREFIX) :] for c in proba_cols]
        proba = predictions[proba_cols].to_numpy(dtype=np.float64)
    else:
        predicted = predictions["predicted"].to_numpy(dtype=object)
        labels = sorted(set(y.tolist()) | set(predicted.tolist()))
        lookup = {label: i for i, label in enumerate(labels)}
        proba = np.zeros((y.size, len(labels)))
        proba[np.arange(y.size), [lookup[v] for v in predicted.tolist()]] = 1.0
    result = evaluate_multiclass(y, proba, labels=labels).to_dict()
    if not proba_cols:
        result["log_loss"] = None
        result["roc_auc_ovr_macro"] = None
    result["task"] = TaskType.MULTICLASS.value
    return result


def segment_key(column: str, value: str) -> str:
    return f"{column}={value}"


def segment_rows(predictions: pd.DataFrame, column: str, value: str) -> pd.DataFrame | None:
    """The rows of one segment value (None when the file has no such segment column)."""
    name = SEGMENT_PREFIX + column
    if name not in predictions.columns:
        return None
    return predictions[predictions[name].astype("string") == value]
