"""The point evaluation of stored prediction columns, for a run or a production batch alike.

A run adds intervals, abstention and segments on top (services); a monitor's production
batch stores only this. Both store the same dict shape, so `metrics.metric_value` reads
either: binary evaluations keep the sweep and the problem's costs, so metrics at an
operating threshold and the cost per decision come from the same code.
"""

import math

import numpy as np
import pandas as pd

from apps.problems.models import Problem, TaskType
from apps.runs import storage
from apps.runs.models import ModelRun
from apps.runs.predictions import PROBA_PREFIX
from mlcore.costs import DecisionCosts
from mlcore.evaluation import evaluate_binary
from mlcore.evaluation.multiclass_regression import evaluate_multiclass, evaluate_regression

LABELS_ONLY_REASON = "undefined: the file holds predicted classes, not probabilities"


def finite(value: object) -> object:
    """JSON has no NaN or infinity: store them as null."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def decision_costs(problem: Problem) -> DecisionCosts | None:
    """The problem's per-decision costs, when both mistake costs are set."""
    if problem.cost_fp is None or problem.cost_fn is None:
        return None
    return DecisionCosts(
        cost_fp=float(problem.cost_fp),
        cost_fn=float(problem.cost_fn),
        value_tp=float(problem.value_tp or 0),
        value_tn=float(problem.value_tn or 0),
    )


def class_probabilities(predictions: pd.DataFrame) -> tuple[list, np.ndarray, bool]:
    """(labels, (n, k) probabilities, whether they are real probabilities) of a multiclass file.

    A file of predicted classes becomes one-hot rows: argmax metrics stay exact, while log
    loss and AUC mean nothing and are withheld by the caller.
    """
    proba_cols = [c for c in predictions.columns if c.startswith(PROBA_PREFIX)]
    if proba_cols:
        labels = [c[len(PROBA_PREFIX) :] for c in proba_cols]
        return labels, predictions[proba_cols].to_numpy(dtype=np.float64), True
    y = predictions["y_true"].to_numpy(dtype=object)
    predicted = predictions["predicted"].to_numpy(dtype=object)
    labels = sorted(set(y.tolist()) | set(predicted.tolist()))
    lookup = {label: i for i, label in enumerate(labels)}
    proba = np.zeros((y.size, len(labels)))
    proba[np.arange(y.size), [lookup[v] for v in predicted.tolist()]] = 1.0
    return labels, proba, False


def class_indices(predictions: pd.DataFrame, labels: list) -> tuple[np.ndarray, np.ndarray]:
    """(truth, argmax prediction) as indices into `labels`."""
    lookup = {label: i for i, label in enumerate(labels)}
    truth = predictions["y_true"].map(lookup).to_numpy(dtype=np.int64)
    _, proba, _ = class_probabilities(predictions)
    return truth, np.argmax(proba, axis=1)


def evaluate_binary_predictions(
    problem: Problem, predictions: pd.DataFrame, threshold: float
) -> dict:
    """The binary suite at `threshold`, with the sweep and the problem's costs it used."""
    costs = decision_costs(problem)
    per_month = problem.decisions_per_month
    result = evaluate_binary(
        predictions["y_true"].to_numpy(dtype=np.int8),
        predictions["score"].to_numpy(dtype=np.float64),
        threshold=threshold,
        costs=costs,
        decisions_per_month=per_month,
    ).to_dict()
    result["decision_costs"] = None if costs is None else costs.__dict__.copy()
    result["decisions_per_month"] = per_month
    return result


def evaluate_multiclass_predictions(predictions: pd.DataFrame) -> dict:
    """The multiclass suite from class probabilities, or from predicted classes."""
    labels, proba, real = class_probabilities(predictions)
    y = predictions["y_true"].to_numpy(dtype=object)
    result = evaluate_multiclass(y, proba, labels=labels).to_dict()
    if not real:
        result["log_loss"] = None
        result["roc_auc_ovr_macro"] = None
        for row in result["per_class"]:
            row["roc_auc"] = None
        result["undefined"] |= {
            "log_loss": LABELS_ONLY_REASON,
            "roc_auc_ovr_macro": LABELS_ONLY_REASON,
        }
    result["task"] = TaskType.MULTICLASS.value
    return result


def evaluate_regression_predictions(predictions: pd.DataFrame) -> dict:
    """The regression suite (MAE, RMSE, R², MAPE, residual quantiles)."""
    y = predictions["y_true"].to_numpy(dtype=np.float64)
    f = predictions["prediction"].to_numpy(dtype=np.float64)
    return {**evaluate_regression(y, f).to_dict(), "task": TaskType.REGRESSION.value}


def evaluate_predictions(
    *, problem: Problem, task: str, predictions: pd.DataFrame, threshold: float
) -> dict | None:
    """The point evaluation of stored prediction columns, JSON-safe (None for no rows)."""
    if len(predictions) == 0:
        return None
    if task == TaskType.MULTICLASS:
        return finite(evaluate_multiclass_predictions(predictions))
    if task == TaskType.REGRESSION:
        return finite(evaluate_regression_predictions(predictions))
    return finite(evaluate_binary_predictions(problem, predictions, threshold))


def prediction_arrays(run: ModelRun) -> tuple[np.ndarray, np.ndarray]:
    """A run's stored (truth, predictions) as paired statistics want them.

    Binary: 0/1 and scores; regression: truths and predictions; multiclass: class indices
    and an (n, k) probability matrix in sorted class order, whatever the file's column
    order, so two runs of a problem line up.
    """
    frame = storage.read_predictions(run.storage_key)
    if run.task == TaskType.BINARY:
        return frame["y_true"].to_numpy(dtype=np.int8), frame["score"].to_numpy(np.float64)
    if run.task == TaskType.REGRESSION:
        return frame["y_true"].to_numpy(np.float64), frame["prediction"].to_numpy(np.float64)
    labels, proba, _ = class_probabilities(frame)
    order = np.argsort(labels)
    lookup = {labels[j]: i for i, j in enumerate(order)}
    return frame["y_true"].map(lookup).to_numpy(dtype=np.int64), proba[:, order]
