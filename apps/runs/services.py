"""Writes for model runs: start an upload, evaluate it in a job, choose its threshold."""

import logging
import math

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import services as job_services
from apps.core.jobs import JobDataError, Progress
from apps.core.models import Job, JobStatus
from apps.datasets import services as dataset_services
from apps.datasets.models import DatasetVersion, VersionStatus
from apps.problems.models import Problem, TaskType
from apps.runs import storage
from apps.runs.evaluation import (
    class_indices,
    decision_costs,
    evaluate_binary_predictions,
    evaluate_multiclass_predictions,
    evaluate_regression_predictions,
    finite,
    prediction_arrays,
)
from apps.runs.models import ModelRun, ReferenceKind, RunKind, RunStatus
from apps.runs.predictions import (
    SEGMENT_PREFIX,
    check_scores,
    label_key,
    parse_column_list,
    read_and_map,
    staged_file_errors,
)
from mlcore.evaluation import bootstrap_binary
from mlcore.evaluation.abstention import abstention_curve
from mlcore.evaluation.other_intervals import bootstrap_multiclass, bootstrap_regression
from mlcore.evaluation.paired import paired_bootstrap
from mlcore.evaluation.segments import segment_metrics
from mlcore.evaluation.task_segments import task_segment_metrics

logger = logging.getLogger(__name__)

EVALUATE_KIND = "run_evaluate"
COMPARE_KIND = "run_compare"
PAIRED_REPLICATES = 1000
PAIRED_SEED = 0
BOOTSTRAP_REPLICATES = 300
BOOTSTRAP_SEED = 0
DEFAULT_THRESHOLD = 0.5
ABSTENTION_POINTS = 200
MAX_SEGMENT_COLUMNS = 5
# Distinct values kept per segment column (the largest segments); the rest are counted.
MAX_SEGMENTS = 50


def run_upload_start(
    *,
    problem: Problem,
    user: User,
    name: str,
    uploaded: UploadedFile,
    model_version: str = "",
    notes: str = "",
    y_true_column: str = "",
    score_column: str = "",
    segment_columns: str = "",
    proba_columns: str = "",
    dataset_version: DatasetVersion | None = None,
    reference_kind: str = "",
    source: str = "",
) -> Job:
    """Stage a prediction file and start the job that validates, stores and evaluates it.

    With a `reference_kind` the run is an external reference (a human expert's or the
    existing system's decisions on the same rows): evaluated alike, never gated.
    """
    name = name.strip()
    if reference_kind and reference_kind not in ReferenceKind.values:
        raise ValidationError(
            {"reference_kind": f"Choose one of: {', '.join(ReferenceKind.values)}."}
        )
    if not name:
        raise ValidationError({"name": "Give the run a name, e.g. “gbm-baseline”."})
    if dataset_version is not None and (
        dataset_version.dataset.problem_id != problem.pk
        or dataset_version.status != VersionStatus.READY
    ):
        raise ValidationError({"dataset_version": "Pick a ready dataset version of this problem."})
    segments = parse_segment_columns(segment_columns)
    filename = (uploaded.name or "predictions").rsplit("/", 1)[-1]
    dataset_services.check_upload(uploaded, filename)
    key = storage.stage_upload(uploaded, filename)
    params = {
        "problem_id": problem.pk,
        "user_id": user.pk,
        "name": name,
        "model_version": model_version.strip(),
        "notes": notes,
        "y_true_column": y_true_column.strip(),
        "score_column": score_column.strip(),
        "segment_columns": segments,
        "proba_columns": proba_columns.strip(),
        "task": problem.task_type,
        "reference_kind": reference_kind,
        "source": source.strip(),
        "dataset_version_id": dataset_version.pk if dataset_version else None,
        "filename": filename,
        "staging_key": key,
    }
    return job_services.job_create(
        team=problem.team,
        kind=EVALUATE_KIND,
        title=f"Evaluate {name} ({filename})",
        params=params,
        user=user,
    )


def parse_segment_columns(raw: str) -> list[str]:
    """Segment column names from "country, plan" (comma-separated, without repeats)."""
    names = parse_column_list(raw)
    if len(names) > MAX_SEGMENT_COLUMNS:
        raise ValidationError(
            {"segment_columns": f"Name at most {MAX_SEGMENT_COLUMNS} segment columns."}
        )
    return names


def run_evaluate(*, job: Job, progress: Progress) -> dict:
    """Validate the staged predictions, store them, and evaluate them with intervals.

    A file that fails validation leaves no run and no stored file; only a failure after
    the run was created (an internal error) leaves a run marked failed.
    """
    p = job.params
    problem = Problem.objects.select_related("team").get(pk=p["problem_id"])
    version = None
    if p.get("dataset_version_id"):
        version = DatasetVersion.objects.filter(pk=p["dataset_version_id"]).first()
    progress(5, "Reading and validating every row")
    with staged_file_errors(p["staging_key"]):
        predictions, columns = read_and_map(problem, p)
    if version is not None and version.rows != len(predictions):
        storage.delete_quietly(p["staging_key"])
        raise JobDataError(
            f"The file has {len(predictions):,} rows but {version} has {version.rows:,}: "
            "predictions must have one row per row of the dataset version they were scored on."
        )
    progress(25, f"Storing {len(predictions):,} predictions")
    key = storage.write_predictions(predictions)
    storage.delete_quietly(p["staging_key"])
    try:
        reference_kind = p.get("reference_kind") or ""
        run = ModelRun.objects.create(
            problem=problem,
            task=p.get("task") or problem.task_type,
            kind=RunKind.EXTERNAL if reference_kind else RunKind.UPLOADED,
            details=(
                {"reference_kind": reference_kind, "source": p.get("source", "")}
                if reference_kind
                else {}
            ),
            name=p["name"],
            model_version=p["model_version"],
            notes=p["notes"],
            dataset_version=version,
            original_filename=p["filename"],
            storage_key=key,
            columns=columns,
            rows=len(predictions),
            job=job,
            created_by_id=p["user_id"],
        )
    except Exception:
        storage.delete_quietly(key)
        raise
    try:
        run_evaluation_compute(run=run, predictions=predictions, progress=progress)
    except Exception:
        # Cancelled, lost or an internal error after the run was stored: keep it, marked.
        ModelRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
        raise
    if version is not None and version.is_evaluation_set:
        dataset_services.dataset_version_record_evaluation(version=version)
    run.refresh_from_db()
    return {
        "run_id": run.pk,
        "name": run.name,
        "rows": run.rows,
        "task": run.task,
        "roc_auc": run.evaluation.get("roc_auc"),
        "columns": columns,
    }


def run_evaluation_compute(
    *, run: ModelRun, predictions: pd.DataFrame, progress: Progress
) -> ModelRun:
    """Evaluate stored predictions (binary: at the default threshold) with intervals."""
    if run.task == TaskType.MULTICLASS:
        evaluation, intervals = _multiclass_evaluation(predictions, progress)
        segments = run_task_segments_compute(
            task=run.task, predictions=predictions, labels=evaluation["labels"]
        )
        return _store_evaluation(run, evaluation, intervals, segments, progress)
    if run.task == TaskType.REGRESSION:
        evaluation, intervals = _regression_evaluation(predictions, progress)
        segments = run_task_segments_compute(task=run.task, predictions=predictions)
        return _store_evaluation(run, evaluation, intervals, segments, progress)
    problem = run.problem
    costs = decision_costs(problem)
    y = predictions["y_true"].to_numpy(dtype=np.int8)
    s = predictions["score"].to_numpy(dtype=np.float64)
    progress(35, "Computing metrics and the threshold sweep")
    result = evaluate_binary_predictions(problem, predictions, DEFAULT_THRESHOLD)
    progress(55, f"Bootstrapping intervals ({BOOTSTRAP_REPLICATES} replicates)")
    intervals = bootstrap_binary(
        y,
        s,
        threshold=DEFAULT_THRESHOLD,
        costs=costs,
        replicates=BOOTSTRAP_REPLICATES,
        seed=BOOTSTRAP_SEED,
    ).to_dict()
    progress(85, "Computing the abstention curve")
    abstention = run_abstention_compute(problem=problem, y=y, s=s, threshold=DEFAULT_THRESHOLD)
    segments = run_segments_compute(
        problem=problem, predictions=predictions, threshold=DEFAULT_THRESHOLD
    )
    with transaction.atomic():
        ModelRun.objects.filter(pk=run.pk).update(
            evaluation=finite(result),
            intervals=finite(intervals),
            abstention=finite(abstention),
            segments=segments,
            threshold=DEFAULT_THRESHOLD,
            status=RunStatus.READY,
        )
    progress(100, "Evaluation ready")
    run.refresh_from_db()
    return run


def _store_evaluation(
    run: ModelRun, evaluation: dict, intervals: dict, segments: dict | None, progress: Progress
) -> ModelRun:
    ModelRun.objects.filter(pk=run.pk).update(
        evaluation=finite(evaluation),
        intervals=finite(intervals),
        segments=segments,
        status=RunStatus.READY,
    )
    progress(100, "Evaluation ready")
    run.refresh_from_db()
    return run


def run_task_segments_compute(
    *, task: str, predictions: pd.DataFrame, labels: list | None = None
) -> dict | None:
    """Multiclass or regression metrics per value of each stored segment column (or None).

    Stored as {"task", "headline", "overall", "columns": [{"column", "rows",
    "other_segments"}]}, the MAX_SEGMENTS largest rows per column plus the weakest.
    """
    names = [c[len(SEGMENT_PREFIX) :] for c in predictions.columns if c.startswith(SEGMENT_PREFIX)]
    if not names:
        return None
    if task == TaskType.MULTICLASS:
        y, pred = class_indices(predictions, labels or [])
        k, headline = len(labels or []), "accuracy"
    else:
        y = predictions["y_true"].to_numpy(dtype=np.float64)
        pred = predictions["prediction"].to_numpy(dtype=np.float64)
        k, headline = 0, "rmse"
    overall = task_segment_metrics(task, y, pred, np.zeros(y.size, dtype=object), k=k)[0]
    columns = []
    for name in names:
        values = predictions[SEGMENT_PREFIX + name].to_numpy(dtype=object)
        rows = task_segment_metrics(task, y, pred, values, k=k)
        kept = rows[:MAX_SEGMENTS] + [row for row in rows[MAX_SEGMENTS:] if row.weakest]
        columns.append(
            {
                "column": name,
                "rows": [row.to_dict() for row in kept],
                "other_segments": len(rows) - len(kept),
            }
        )
    overall_dict = {**overall.to_dict(), "value": "All rows", "weakest": False}
    return finite({"task": task, "headline": headline, "overall": overall_dict, "columns": columns})


def _multiclass_evaluation(predictions: pd.DataFrame, progress: Progress) -> tuple[dict, dict]:
    """Metrics and intervals from stored class probabilities (or predicted classes)."""
    progress(35, "Computing metrics and the confusion matrix")
    result = evaluate_multiclass_predictions(predictions)
    progress(60, f"Bootstrapping intervals ({BOOTSTRAP_REPLICATES} replicates)")
    truth, predicted = class_indices(predictions, result["labels"])
    intervals = bootstrap_multiclass(
        truth,
        predicted,
        len(result["labels"]),
        replicates=BOOTSTRAP_REPLICATES,
        seed=BOOTSTRAP_SEED,
    )
    return result, intervals


def _regression_evaluation(predictions: pd.DataFrame, progress: Progress) -> tuple[dict, dict]:
    """Metrics, residual quantiles and intervals from stored numeric predictions."""
    progress(35, "Computing error metrics")
    result = evaluate_regression_predictions(predictions)
    y = predictions["y_true"].to_numpy(dtype=np.float64)
    f = predictions["prediction"].to_numpy(dtype=np.float64)
    result["scatter"] = _scatter_sample(y, f)
    progress(60, f"Bootstrapping intervals ({BOOTSTRAP_REPLICATES} replicates)")
    intervals = bootstrap_regression(y, f, replicates=BOOTSTRAP_REPLICATES, seed=BOOTSTRAP_SEED)
    return result, intervals


SCATTER_POINTS = 2_000


def _scatter_sample(y: np.ndarray, f: np.ndarray) -> dict:
    """A fixed-seed sample of (truth, prediction) pairs for the chart (≤ 2,000 points)."""
    idx = np.arange(y.size)
    if y.size > SCATTER_POINTS:
        idx = np.sort(np.random.default_rng(0).choice(y.size, SCATTER_POINTS, replace=False))
    return {"y_true": y[idx].tolist(), "prediction": f[idx].tolist(), "of": int(y.size)}


def run_segments_compute(
    *, problem: Problem, predictions: pd.DataFrame, threshold: float
) -> dict | None:
    """Per-segment metrics at the threshold for each stored segment column (None if none).

    Stored as {"threshold", "overall", "columns": [{"column", "rows", "other_segments"}]},
    the MAX_SEGMENTS largest rows per column plus the weakest one (flagged) wherever it ranks.
    """
    names = [c[len(SEGMENT_PREFIX) :] for c in predictions.columns if c.startswith(SEGMENT_PREFIX)]
    if not names:
        return None
    costs = decision_costs(problem)
    y = predictions["y_true"].to_numpy(dtype=np.int8)
    s = predictions["score"].to_numpy(dtype=np.float64)
    overall = segment_metrics(y, s, np.zeros(y.size), threshold=threshold, costs=costs)[0]
    columns = []
    for name in names:
        values = predictions[SEGMENT_PREFIX + name].to_numpy(dtype=object)
        rows = segment_metrics(y, s, values, threshold=threshold, costs=costs)
        kept = rows[:MAX_SEGMENTS]
        # The weakest segment is always shown, even when it is not among the largest.
        kept += [row for row in rows[MAX_SEGMENTS:] if row.weakest]
        columns.append(
            {
                "column": name,
                "rows": [row.to_dict() for row in kept],
                "other_segments": len(rows) - len(kept),
            }
        )
    overall_dict = {**overall.to_dict(), "value": "All rows", "weakest": False}
    return finite({"threshold": threshold, "overall": overall_dict, "columns": columns})


def run_abstention_compute(
    *, problem: Problem, y: np.ndarray, s: np.ndarray, threshold: float
) -> dict:
    """The abstention curve at the threshold, downsampled to ≤ 200 points for storage."""
    fallback = problem.fallback_cost_per_case
    curve = abstention_curve(
        y,
        s,
        threshold=threshold,
        fallback_cost_per_case=0.0 if fallback is None else float(fallback),
        costs=decision_costs(problem),
    )
    idx = np.arange(curve.cutoffs.size)
    if idx.size > ABSTENTION_POINTS:
        # Evenly spaced cut-offs, always keeping the first and the full-coverage one.
        idx = np.unique(np.linspace(0, idx.size - 1, ABSTENTION_POINTS).round().astype(np.int64))
    cost = curve.cost_per_decision
    return {
        "threshold": float(threshold),
        "fallback_cost_per_case": 0.0 if fallback is None else float(fallback),
        "fallback_cost_missing": fallback is None,
        "cutoffs": curve.cutoffs[idx].tolist(),
        "coverage": curve.coverage[idx].tolist(),
        "answered": curve.answered[idx].tolist(),
        "accuracy": curve.accuracy[idx].tolist(),
        "precision": curve.precision[idx].tolist(),
        "cost_per_decision": None if cost is None else cost[idx].tolist(),
    }


def run_create_from_arrays(
    *,
    problem: Problem,
    user: User,
    name: str,
    y_true: np.ndarray,
    scores: np.ndarray,
    model_version: str = "",
    dataset_version: DatasetVersion | None = None,
    segments: dict[str, np.ndarray] | None = None,
) -> ModelRun:
    """Store and evaluate 0/1 labels and scores built in code (demo seed, shell), synchronously.

    `segments` maps a segment column name to one value per row.
    """
    predictions = pd.DataFrame(
        {
            "y_true": np.asarray(y_true, dtype=np.int8),
            "score": check_scores(pd.Series(scores), column="score", parquet=True),
        }
    )
    columns: dict = {"y_true": "y_true", "score": "score"}
    for column, values in (segments or {}).items():
        series = pd.Series(values, dtype=object)
        predictions[SEGMENT_PREFIX + column] = series.where(series.isna(), series.map(label_key))
    if segments:
        columns["segments"] = list(segments)
    key = storage.write_predictions(predictions)
    run = ModelRun.objects.create(
        problem=problem,
        name=name,
        model_version=model_version,
        dataset_version=dataset_version,
        original_filename=f"{name}.parquet",
        storage_key=key,
        columns=columns,
        rows=len(predictions),
        created_by=user,
    )
    run = run_evaluation_compute(run=run, predictions=predictions, progress=lambda *a: None)
    if dataset_version is not None and dataset_version.is_evaluation_set:
        dataset_services.dataset_version_record_evaluation(version=dataset_version)
    return run


def run_threshold_set(*, run: ModelRun, user: User, threshold: float, reason: str) -> ModelRun:
    """Store the operating threshold with who chose it, when and why."""
    reason = reason.strip()
    if not (0.0 <= threshold <= 1.0) or math.isnan(threshold):
        raise ValidationError({"threshold": "The threshold must be between 0 and 1."})
    if not reason:
        raise ValidationError({"reason": "Say why this threshold, e.g. “recall ≥ 0.9 for ops”."})
    if run.status != RunStatus.READY:
        raise ValidationError({"threshold": "The run is not evaluated yet."})
    if run.task != TaskType.BINARY or run.evaluation is None or "curve" not in run.evaluation:
        raise ValidationError({"threshold": "Only binary runs with scores have a threshold."})
    segments = run.segments
    if segments is not None:
        # Precision, recall, F1 and cost per segment follow the threshold: re-read the file.
        predictions = storage.read_predictions(run.storage_key)
        segments = run_segments_compute(
            problem=run.problem, predictions=predictions, threshold=threshold
        )
    ModelRun.objects.filter(pk=run.pk).update(
        segments=segments,
        threshold=threshold,
        threshold_set_by=user,
        threshold_reason=reason,
        threshold_set_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def _compare_key(runs: list[ModelRun]) -> str:
    # A threshold change changes F1 and cost at the threshold: it is part of the key.
    return ",".join(f"{run.pk}@{run.threshold!r}" for run in runs)


def run_compare_start(*, runs: list[ModelRun], user: User) -> Job:
    """The paired-bootstrap job for these runs against the first: reused unless it failed."""
    key = _compare_key(runs)
    team = runs[0].problem.team
    existing = (
        Job.objects.filter(team=team, kind=COMPARE_KIND, params__key=key)
        .exclude(status__in=[JobStatus.FAILED, JobStatus.CANCELLED])
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    names = ", ".join(run.name for run in runs[1:])
    return job_services.job_create(
        team=team,
        kind=COMPARE_KIND,
        title=f"Compare {names} with {runs[0].name}",
        params={"key": key, "run_ids": [run.pk for run in runs]},
        user=user,
    )


def run_compare(*, job: Job, progress: Progress) -> dict:
    """Paired bootstrap of every run against the first, on rows they share."""
    ids = job.params["run_ids"]
    runs = {run.pk: run for run in ModelRun.objects.select_related("problem").filter(pk__in=ids)}
    if len(runs) != len(ids):
        raise JobDataError("A compared run was deleted; pick the runs again.")
    base = runs[ids[0]]
    costs = decision_costs(base.problem)
    progress(5, f"Reading {base.name}")
    y, base_scores = prediction_arrays(base)
    pairs = []
    for i, run_id in enumerate(ids[1:]):
        run = runs[run_id]
        progress(10 + 85 * i // (len(ids) - 1), f"Resampling {run.name} against {base.name}")
        other_y, other_scores = prediction_arrays(run)
        shared = other_y.size == y.size and np.array_equal(other_y, y)
        pair: dict = {"run_id": run.pk, "name": run.name, "shared_rows": shared}
        if shared:
            pair["comparison"] = paired_bootstrap(
                y,
                base_scores,
                other_scores,
                threshold_base=base.threshold,
                threshold_other=run.threshold,
                costs=costs,
                replicates=PAIRED_REPLICATES,
                seed=PAIRED_SEED,
            ).to_dict()
        pairs.append(pair)
    progress(100, "Paired intervals ready")
    return finite(
        {
            "base": {"run_id": base.pk, "name": base.name, "threshold": base.threshold},
            "pairs": pairs,
            "replicates": PAIRED_REPLICATES,
            "currency": base.problem.currency,
        }
    )
