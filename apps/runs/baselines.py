"""Writes for baselines: train the ladder in a job, and record external references.

Each trained rung becomes a ModelRun of kind "baseline", stored and evaluated by exactly the
same code as an uploaded run (metrics, costs, threshold sweep, intervals), so the
leaderboard compares like with like. A retried job reuses the rows it already stored: the
(job, baseline_key) constraint makes a duplicate impossible, not just unlikely.
"""

import logging
import math
import time

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core import services as job_services
from apps.core.jobs import JobDataError, Progress
from apps.core.models import Job
from apps.datasets import services as dataset_services
from apps.datasets import storage as dataset_storage
from apps.datasets.models import DatasetVersion, VersionStatus
from apps.problems.models import Problem, TaskType
from apps.runs import storage
from apps.runs.models import ModelRun, ReferenceKind, RunKind, RunStatus
from apps.runs.predictions import PROBA_PREFIX, SEGMENT_PREFIX, label_key
from apps.runs.selectors import parse_critical
from apps.runs.services import run_evaluation_compute
from mlcore.baselines import BaselineDataError, BaselineResult, Prepared, prepare, train_ladder
from mlcore.baselines.robustness import robustness

logger = logging.getLogger(__name__)

TRAIN_KIND = "baseline_train"
DEFAULT_AUTOML_BUDGET_S = 60
MAX_AUTOML_BUDGET_S = 1800
# Kept free before the soft time limit for evaluating and storing what was trained.
FINISH_RESERVE_S = 60
ROBUST_RUNGS = ("one_rule", "linear", "gradient_boosting", "random_forest", "automl")
# Simple baselines: what "the best simple baseline" of gain and gates is chosen among.
SIMPLE_RUNGS = ("dummy", "one_rule", "linear")


def _check_versions(problem: Problem, train: DatasetVersion, evaluation: DatasetVersion) -> None:
    errors = {}
    for field, version in (("train_version", train), ("eval_version", evaluation)):
        if version.dataset.problem_id != problem.pk or version.status != VersionStatus.READY:
            errors[field] = "Pick a ready dataset version of this problem."
    if not errors and train.pk == evaluation.pk:
        errors["eval_version"] = (
            "Evaluate on a different version than the one trained on (validation or test)."
        )
    if errors:
        raise ValidationError(errors)


def baseline_train_start(
    *,
    problem: Problem,
    user: User,
    train_version: DatasetVersion,
    eval_version: DatasetVersion,
    automl_budget_s: float | None = DEFAULT_AUTOML_BUDGET_S,
    include_forest: bool = False,
    exclude_columns: list[str] | None = None,
) -> Job:
    """Check the choice of versions and start the job that trains the ladder."""
    if not problem.target_column:
        raise ValidationError(
            {"train_version": "Set the problem's target column first: the ladder learns it."}
        )
    _check_versions(problem, train_version, eval_version)
    if automl_budget_s is not None and not (5 <= automl_budget_s <= MAX_AUTOML_BUDGET_S):
        raise ValidationError(
            {"automl_budget_s": f"Give AutoML between 5 and {MAX_AUTOML_BUDGET_S} seconds."}
        )
    params = {
        "problem_id": problem.pk,
        "user_id": user.pk,
        "train_version_id": train_version.pk,
        "eval_version_id": eval_version.pk,
        "automl_budget_s": automl_budget_s,
        "include_forest": bool(include_forest),
        "exclude_columns": list(exclude_columns or []),
    }
    return job_services.job_create(
        team=problem.team,
        kind=TRAIN_KIND,
        title=f"Train baselines for {problem.title}",
        params=params,
        user=user,
    )


def _read_version(version: DatasetVersion) -> pd.DataFrame:
    try:
        return dataset_storage.read_parquet(version.storage_key)
    except FileNotFoundError as exc:
        raise JobDataError(f"The stored file of {version} is missing.") from exc


def _stored_predictions(prepared: Prepared, result: BaselineResult) -> pd.DataFrame:
    """The rung's evaluation predictions in the stored columns of an uploaded run."""
    if prepared.task == TaskType.BINARY:
        scores = np.clip(np.asarray(result.scores, dtype=np.float64), 0.0, 1.0)
        return pd.DataFrame({"y_true": prepared.y_eval.astype(np.int8), "score": scores})
    if prepared.task == TaskType.MULTICLASS:
        classes = np.asarray(prepared.classes, dtype=object)
        frame = pd.DataFrame({"y_true": classes[prepared.y_eval]})
        proba = np.asarray(result.proba, dtype=np.float64)
        proba = proba / proba.sum(axis=1, keepdims=True)
        for j, label in enumerate(prepared.classes):
            frame[PROBA_PREFIX + label] = proba[:, j]
        return frame
    return pd.DataFrame(
        {
            "y_true": np.asarray(prepared.y_eval, dtype=np.float64),
            "prediction": np.asarray(result.predicted, dtype=np.float64),
        }
    )


def _critical_segment_columns(problem: Problem, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The evaluation rows' values of each column the problem's critical segments name."""
    names = []
    for line in (problem.critical_segments or "").splitlines():
        parsed = parse_critical(line)
        if parsed and parsed[0] in frame.columns and parsed[0] not in names:
            names.append(parsed[0])
    return {
        name: frame[name]
        .where(frame[name].isna(), frame[name].map(label_key))
        .reset_index(drop=True)
        for name in names
    }


def _columns(prepared: Prepared) -> dict:
    if prepared.task == TaskType.BINARY:
        return {"y_true": prepared.target, "score": "score"}
    if prepared.task == TaskType.MULTICLASS:
        return {"y_true": prepared.target, "proba": {c: c for c in prepared.classes}}
    return {"y_true": prepared.target, "prediction": "prediction"}


def _details(prepared: Prepared, result: BaselineResult) -> dict:
    details = result.to_dict()
    details |= details.pop("details") or {}  # rule text, AutoML leaderboard… at the top
    details["features"] = prepared.features
    details["dropped_features"] = prepared.dropped
    if result.name in ROBUST_RUNGS and result.model is not None:
        try:
            details["robustness"] = robustness(prepared, result).to_dict()
        except Exception:  # a report we cannot compute must not cost the baseline
            logger.exception("Robustness of %s failed", result.name)
    return details


def _store_rung(
    *,
    job: Job,
    problem: Problem,
    version: DatasetVersion,
    prepared: Prepared,
    result: BaselineResult,
    segments: dict[str, pd.Series],
) -> ModelRun | None:
    """Store and evaluate one trained rung, or return the row a previous attempt stored."""
    existing = ModelRun.objects.filter(job=job, kind=RunKind.BASELINE, baseline_key=result.name)
    found = existing.first()
    if found is not None and found.status == RunStatus.READY:
        return found
    predictions = _stored_predictions(prepared, result)
    columns = _columns(prepared)
    if segments:
        # Per-segment metrics for the columns the problem's critical segments name.
        for name, values in segments.items():
            predictions[SEGMENT_PREFIX + name] = values
        columns["segments"] = list(segments)
    key = storage.write_predictions(predictions)
    try:
        with transaction.atomic():
            existing.delete()  # a half-evaluated row of a lost attempt
            run = ModelRun.objects.create(
                problem=problem,
                task=prepared.task,
                kind=RunKind.BASELINE,
                baseline_key=result.name,
                name=result.label,
                model_version="",
                dataset_version=version,
                storage_key=key,
                columns=columns,
                rows=len(predictions),
                details=_details(prepared, result),
                job=job,
                created_by_id=job.params.get("user_id"),
            )
    except IntegrityError:
        storage.delete_quietly(key)
        return existing.first()
    run_evaluation_compute(run=run, predictions=predictions, progress=lambda *a: None)
    return run


def _should_stop(job: Job, started: float) -> callable:
    deadline = started + settings.CELERY_TASK_SOFT_TIME_LIMIT - FINISH_RESERVE_S

    def should_stop() -> bool:
        if time.monotonic() >= deadline:
            return True
        return Job.objects.filter(pk=job.pk, cancel_requested=True).exists()

    return should_stop


def baseline_train(*, job: Job, progress: Progress) -> dict:
    """Train the ladder on the train version, then store and evaluate every rung."""
    started = time.monotonic()
    p = job.params
    problem = Problem.objects.select_related("team").get(pk=p["problem_id"])
    versions = DatasetVersion.objects.select_related("dataset").in_bulk(
        [p["train_version_id"], p["eval_version_id"]]
    )
    if len(versions) != 2:
        raise JobDataError("A chosen dataset version was deleted; start again.")
    train_v, eval_v = versions[p["train_version_id"]], versions[p["eval_version_id"]]
    progress(2, f"Reading {train_v} and {eval_v}")
    eval_frame = _read_version(eval_v)
    try:
        prepared = prepare(
            _read_version(train_v),
            eval_frame,
            problem.target_column,
            problem.task_type,
            positive_label=problem.positive_label or None,
            exclude=p.get("exclude_columns") or [],
        )
    except BaselineDataError as exc:
        raise JobDataError(f"The data cannot train baselines: {exc}") from exc

    def on_progress(name: str, index: int, total: int) -> None:
        progress(5 + 75 * index / total, f"Training {name.replace('_', ' ')} ({index + 1}/{total})")

    ladder = train_ladder(
        prepared,
        include_forest=p.get("include_forest", False),
        automl_budget_s=p.get("automl_budget_s"),
        n_jobs=-1,
        # The regression dummy predicts the constant that is best for the metric judged.
        regression_metric="mae" if problem.primary_metric == "mae" else "rmse",
        on_progress=on_progress,
        should_stop=_should_stop(job, started),
    )
    trained = [r for r in ladder.results if r.error is None]
    segments = _critical_segment_columns(problem, eval_frame)
    runs = []
    for i, result in enumerate(trained):
        progress(80 + 18 * i / max(len(trained), 1), f"Evaluating {result.label}")
        runs.append(
            _store_rung(
                job=job,
                problem=problem,
                version=eval_v,
                prepared=prepared,
                result=result,
                segments=segments,
            )
        )
    if eval_v.is_evaluation_set:
        dataset_services.dataset_version_record_evaluation(version=eval_v)
    progress(100, "Baselines ready" + (" (stopped early)" if ladder.stopped_early else ""))
    return {
        "problem_id": problem.pk,
        "run_ids": [run.pk for run in runs if run is not None],
        "trained": [{"name": r.name, "label": r.label, "seconds": r.fit_seconds} for r in trained],
        "errors": [
            {"name": r.name, "label": r.label, "error": r.error} for r in ladder.results if r.error
        ],
        "stopped_early": ladder.stopped_early,
        "total_seconds": round(time.monotonic() - started, 2),
    }


# ---- external references ------------------------------------------------------------------


def _clean_metric_values(task: str, values: dict) -> dict[str, dict]:
    """{metric: {"value", "low", "high"}} with each number checked against the catalogue."""
    from apps.runs.metrics import METRICS, metrics_for_task

    allowed = {m.key for m in metrics_for_task(task)}
    cleaned: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for key, entry in values.items():
        if key not in allowed:
            errors[f"metrics.{key}"] = f"“{key}” is not a metric of a {task} problem."
            continue
        metric = METRICS[key]
        numbers = {}
        for part in ("value", "low", "high"):
            raw = entry.get(part)
            if raw in (None, ""):
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError):
                errors[f"metrics.{key}.{part}"] = f"{metric.label} {part} must be a number."
                continue
            if not math.isfinite(number) or (
                (metric.low is not None and number < metric.low)
                or (metric.high is not None and number > metric.high)
            ):
                bounds = (
                    f"between {metric.low} and {metric.high}"
                    if metric.high is not None
                    else (f"at least {metric.low}" if metric.low is not None else "finite")
                )
                errors[f"metrics.{key}.{part}"] = f"{metric.label} must be {bounds}."
                continue
            numbers[part] = number
        if "value" not in numbers:
            if numbers:
                errors[f"metrics.{key}.value"] = f"Give the {metric.label} value itself."
            continue
        if ("low" in numbers) != ("high" in numbers):
            errors[f"metrics.{key}.low"] = "Give both ends of the interval, or neither."
        elif "low" in numbers and not numbers["low"] <= numbers["value"] <= numbers["high"]:
            errors[f"metrics.{key}.low"] = (
                f"The interval {numbers['low']:g}–{numbers['high']:g} must contain "
                f"the value {numbers['value']:g}."
            )
        cleaned[key] = numbers
    if not cleaned and not errors:
        errors["metrics"] = "Enter at least one metric value."
    if errors:
        raise ValidationError(errors)
    return cleaned


def reference_create(
    *,
    problem: Problem,
    user: User,
    name: str,
    reference_kind: str,
    metrics: dict,
    source: str = "",
    url: str = "",
    date: str = "",
    sample_size: int | None = None,
    notes: str = "",
) -> ModelRun:
    """Record an external baseline (a human expert, a published result…) with its values."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Name the reference, e.g. “Senior radiologists (2023 audit)”."
    if reference_kind not in ReferenceKind.values:
        errors["reference_kind"] = f"Choose one of: {', '.join(ReferenceKind.values)}."
    if not source.strip() and not url.strip():
        errors["source"] = "Say where the numbers come from: a citation or a link."
    if sample_size is not None and sample_size < 1:
        errors["sample_size"] = "The sample size must be at least 1."
    try:
        values = _clean_metric_values(problem.task_type, metrics)
    except ValidationError as exc:
        errors |= exc.message_dict
        values = {}
    if errors:
        raise ValidationError(errors)
    evaluation = {key: entry["value"] for key, entry in values.items()}
    evaluation["entered"] = True
    intervals = {
        key: {"estimate": e["value"], "low": e["low"], "high": e["high"], "level": 0.95}
        for key, e in values.items()
        if "low" in e
    }
    return ModelRun.objects.create(
        problem=problem,
        task=problem.task_type,
        kind=RunKind.EXTERNAL,
        name=name,
        notes=notes.strip(),
        status=RunStatus.READY,
        rows=sample_size or 0,
        evaluation=evaluation,
        intervals=intervals,
        details={
            "reference_kind": reference_kind,
            "source": source.strip(),
            "url": url.strip(),
            "date": date.strip(),
            "sample_size": sample_size,
        },
        created_by=user,
    )
