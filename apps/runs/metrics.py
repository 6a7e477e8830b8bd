"""The metric catalogue runs are ranked, gated and monitored by, and a run's value of each.

One place says what a metric key means for each task, whether higher is better, and where
a run's value comes from: threshold-dependent binary metrics (F1, precision, recall,
accuracy, cost) are read at the run's *chosen* operating threshold from the stored sweep,
the rest from the stored evaluation. External references hold the values entered.
"""

from dataclasses import dataclass

from apps.problems.models import METRICS_FOR_TASK, Problem, TaskType
from apps.runs.models import ModelRun
from apps.runs.selectors import threshold_point


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    higher_is_better: bool
    # Bounds a value can take, for form validation (None: unbounded).
    low: float | None = None
    high: float | None = None


METRICS = {
    m.key: m
    for m in (
        Metric("roc_auc", "ROC AUC", True, 0, 1),
        Metric("pr_auc", "PR AUC", True, 0, 1),
        Metric("f1", "F1", True, 0, 1),
        Metric("precision", "Precision", True, 0, 1),
        Metric("recall", "Recall", True, 0, 1),
        Metric("accuracy", "Accuracy", True, 0, 1),
        Metric("balanced_accuracy", "Balanced accuracy", True, 0, 1),
        Metric("log_loss", "Log loss", False, 0, None),
        Metric("brier", "Brier score", False, 0, 1),
        Metric("ece", "ECE (calibration)", False, 0, 1),
        Metric("expected_cost", "Expected cost per decision", False),
        Metric("macro_f1", "Macro F1", True, 0, 1),
        Metric("weighted_f1", "Weighted F1", True, 0, 1),
        Metric("mae", "MAE", False, 0, None),
        Metric("rmse", "RMSE", False, 0, None),
        Metric("r2", "R²", True, None, 1),
        Metric("mape", "MAPE", False, 0, None),
    )
}
DEFAULT_PRIMARY = {
    TaskType.BINARY: "roc_auc",
    TaskType.MULTICLASS: "macro_f1",
    TaskType.REGRESSION: "rmse",
}
# Metrics read at the operating threshold rather than from the threshold-free evaluation.
AT_THRESHOLD = {"f1", "precision", "recall", "accuracy", "expected_cost"}
# Keys whose bootstrap interval is stored under another name.
INTERVAL_KEYS = {"expected_cost": "cost_per_decision"}


def metrics_for_task(task: str) -> list[Metric]:
    """The metrics a run of this task has, in the problem form's order."""
    keys = list(METRICS_FOR_TASK.get(task, []))
    if task == TaskType.MULTICLASS:
        keys.insert(1, "weighted_f1")
    if task == TaskType.BINARY:
        keys[keys.index("log_loss") + 1 : keys.index("log_loss") + 1] = ["brier", "ece"]
    return [METRICS[k] for k in keys if k in METRICS]


def primary_metric(problem: Problem) -> Metric:
    """The problem's chosen primary metric, or the task's default when none fits the task."""
    keys = {m.key for m in metrics_for_task(problem.task_type)}
    if problem.primary_metric in keys:
        return METRICS[problem.primary_metric]
    return METRICS[DEFAULT_PRIMARY.get(problem.task_type, "roc_auc")]


def metric_value(task: str, evaluation: dict | None, threshold: float, key: str) -> float | None:
    """A metric's value in a stored evaluation of any task (binary: at `threshold`)."""
    ev = evaluation or {}
    if task == TaskType.BINARY and key in AT_THRESHOLD and ev.get("curve"):
        point = threshold_point(ev, threshold)
        return point["cost_per_decision"] if key == "expected_cost" else point[key]
    if task == TaskType.MULTICLASS and key == "balanced_accuracy":
        key = "macro_recall"
    value = ev.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def run_metric_value(run: ModelRun, key: str) -> float | None:
    """The run's value of a metric at its operating threshold (None when it has none)."""
    return metric_value(run.task, run.evaluation, run.threshold, key)


def run_metric_interval(run: ModelRun, key: str) -> dict | None:
    """The stored 95 % interval of a metric, when the evaluation bootstrapped one.

    Binary F1 and cost intervals were bootstrapped at the evaluation threshold, so they are
    offered only while the run's operating threshold is still that one.
    """
    intervals = run.intervals or {}
    if run.task == TaskType.BINARY and key in AT_THRESHOLD:
        evaluated_at = (run.evaluation or {}).get("threshold")
        if evaluated_at is None or abs(evaluated_at - run.threshold) > 1e-12:
            return None
    interval = intervals.get(INTERVAL_KEYS.get(key, key))
    return interval if isinstance(interval, dict) else None


def run_comparison_table(runs: list[ModelRun]) -> list[dict]:
    """Every metric of the runs' task per run, with its difference to the first run."""
    table = []
    for metric in metrics_for_task(runs[0].task):
        values = [run_metric_value(run, metric.key) for run in runs]
        if all(value is None for value in values):
            continue
        base = values[0]
        cells = [
            {
                "value": value,
                "difference": None if value is None or base is None else value - base,
            }
            for value in values
        ]
        table.append(
            {
                "key": metric.key,
                "label": metric.label,
                "higher_is_better": metric.higher_is_better,
                "cells": cells,
            }
        )
    return table
