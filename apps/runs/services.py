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
from apps.core.models import Job
from apps.datasets import services as dataset_services
from apps.datasets.models import DatasetVersion, VersionStatus
from apps.problems.models import Problem, TaskType
from apps.runs import storage
from apps.runs.models import ModelRun, RunStatus
from mlcore import tabular
from mlcore.costs import DecisionCosts
from mlcore.evaluation import bootstrap_binary, evaluate_binary
from mlcore.evaluation.abstention import abstention_curve
from mlcore.evaluation.segments import segment_metrics

logger = logging.getLogger(__name__)

EVALUATE_KIND = "run_evaluate"
BOOTSTRAP_REPLICATES = 300
BOOTSTRAP_SEED = 0
DEFAULT_THRESHOLD = 0.5
ABSTENTION_POINTS = 200
Y_TRUE_NAMES = ("y_true", "label", "target", "y", "actual", "truth", "outcome")
MAX_SEGMENT_COLUMNS = 5
# Distinct values kept per segment column (the largest segments); the rest are counted.
MAX_SEGMENTS = 50
SEGMENT_PREFIX = "segment:"
SCORE_NAMES = ("score", "y_score", "proba", "probability", "prediction", "pred", "p")


def _norm(name: object) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def guess_columns(columns: list[str], problem: Problem) -> dict[str, str | None]:
    """The likely true-value and score columns of a prediction file (None when no guess)."""
    by_norm = {_norm(c): str(c) for c in columns}
    y_true = None
    if problem.target_column and problem.target_column in columns:
        y_true = problem.target_column
    else:
        y_true = next((by_norm[n] for n in Y_TRUE_NAMES if n in by_norm), None)
    score = next((by_norm[n] for n in SCORE_NAMES if n in by_norm and by_norm[n] != y_true), None)
    if score is None:
        score = next(
            (
                str(c)
                for c in columns
                if str(c) != y_true and any(w in _norm(c) for w in ("score", "proba"))
            ),
            None,
        )
    return {"y_true": y_true, "score": score}


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
    dataset_version: DatasetVersion | None = None,
) -> Job:
    """Stage a prediction file and start the job that validates, stores and evaluates it."""
    name = name.strip()
    if problem.task_type != TaskType.BINARY:
        raise ValidationError({"file": "Runs can be evaluated for binary problems only (for now)."})
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
    names: list[str] = []
    for part in (raw or "").split(","):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_SEGMENT_COLUMNS:
        raise ValidationError(
            {"segment_columns": f"Name at most {MAX_SEGMENT_COLUMNS} segment columns."}
        )
    return names


def _where(index: int, column: str, *, parquet: bool) -> str:
    # CSV: the line as an editor counts it (header is line 1); Parquet has no lines.
    place = f"Row {index + 1}" if parquet else f"Line {index + 2}"
    return f"{place}, column “{column}”"


def _pick_column(frame: pd.DataFrame, chosen: str, guessed: str | None, role: str) -> str:
    names = [str(c) for c in frame.columns]
    listed = ", ".join(f"“{n}”" for n in names[:20])
    if chosen:
        if chosen not in names:
            raise JobDataError(
                f"The {role} column “{chosen}” is not in the file. The columns are: {listed}."
            )
        return chosen
    if guessed is None:
        raise JobDataError(
            f"No {role} column could be guessed; choose it in the form. The columns are: {listed}."
        )
    return guessed


def _label_key(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def map_labels(values: pd.Series, positive_label: str, *, column: str, parquet: bool) -> np.ndarray:
    """0/1 labels from the true-value column: the problem's positive label is 1."""
    missing = values.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: the true value is missing. Every row needs "
            "the outcome that happened."
        )
    keys = values.map(_label_key)
    distinct = sorted(keys.unique().tolist())
    if len(distinct) > 2:
        shown = ", ".join(f"“{d}”" for d in distinct[:6])
        raise JobDataError(
            f"Column “{column}” has {len(distinct)} distinct labels ({shown}); a binary problem "
            "needs exactly two."
        )
    positive = positive_label.strip()
    if not positive:
        if not set(distinct) <= {"0", "1"}:
            raise JobDataError(
                f"Column “{column}” holds {', '.join(distinct)}: set the problem's positive label "
                "so Preflight knows which one is the positive class."
            )
        positive = "1"
    if positive not in distinct and len(distinct) == 2:
        raise JobDataError(
            f"Column “{column}” holds “{distinct[0]}” and “{distinct[1]}”, but the problem's "
            f"positive label is “{positive}”: neither matches."
        )
    return (keys == positive).to_numpy(dtype=np.int8)


def check_scores(values: pd.Series, *, column: str, parquet: bool) -> np.ndarray:
    """Scores as float64 probabilities, or JobDataError naming the first bad row."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad_text = numbers.isna() & values.notna()
    if bad_text.any():
        row = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: “{values.iloc[row]}” is not a number; "
            "scores must be probabilities between 0 and 1."
        )
    s = numbers.to_numpy(dtype=np.float64)
    nan = np.isnan(s)
    if nan.any():
        row = int(np.flatnonzero(nan)[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: the score is missing (NaN). Every row "
            "needs a score."
        )
    outside = (s < 0.0) | (s > 1.0)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: {s[row]:g} is outside [0, 1]; scores must "
            "be probabilities of the positive class (apply a sigmoid to raw margins)."
        )
    return s


def _read_and_map(problem: Problem, p: dict) -> tuple[pd.DataFrame, dict]:
    with storage.local_path(p["staging_key"]) as path:
        frame = tabular.read_table(
            path, filename=p["filename"], limits=dataset_services.read_limits()
        )
        with open(path, "rb") as handle:
            head = handle.read(dataset_services.HEAD_BYTES)
        parquet = tabular.detect_format(head, p["filename"]) == "parquet"
    guess = guess_columns([str(c) for c in frame.columns], problem)
    y_col = _pick_column(frame, p["y_true_column"], guess["y_true"], "true-value")
    s_col = _pick_column(frame, p["score_column"], guess["score"], "score")
    if y_col == s_col:
        raise JobDataError(f"The true value and the score cannot both be column “{y_col}”.")
    y = map_labels(frame[y_col], problem.positive_label, column=y_col, parquet=parquet)
    s = check_scores(frame[s_col], column=s_col, parquet=parquet)
    mapped = pd.DataFrame({"y_true": y, "score": s})
    columns: dict = {"y_true": y_col, "score": s_col}
    segments = p.get("segment_columns") or []
    for name in segments:
        _pick_column(frame, name, None, "segment")
        if name in (y_col, s_col):
            raise JobDataError(
                f"Column “{name}” cannot be both a segment and the true value or score."
            )
        values = frame[name]
        mapped[SEGMENT_PREFIX + name] = values.where(values.isna(), values.map(_label_key))
    if segments:
        columns["segments"] = segments
    return mapped, columns


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
    try:
        predictions, columns = _read_and_map(problem, p)
    except tabular.TableError as exc:
        storage.delete_quietly(p["staging_key"])
        raise JobDataError(exc.located_message()) from exc
    except JobDataError:
        storage.delete_quietly(p["staging_key"])
        raise
    except FileNotFoundError as exc:
        raise JobDataError("The uploaded file is no longer available; upload it again.") from exc
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
        run = ModelRun.objects.create(
            problem=problem,
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
        "roc_auc": run.evaluation.get("roc_auc"),
        "columns": columns,
    }


def run_evaluation_compute(
    *, run: ModelRun, predictions: pd.DataFrame, progress: Progress
) -> ModelRun:
    """Evaluate stored predictions at the default threshold and bootstrap the intervals."""
    problem = run.problem
    costs = decision_costs(problem)
    per_month = problem.decisions_per_month
    y = predictions["y_true"].to_numpy(dtype=np.int8)
    s = predictions["score"].to_numpy(dtype=np.float64)
    progress(35, "Computing metrics and the threshold sweep")
    evaluation = evaluate_binary(
        y, s, threshold=DEFAULT_THRESHOLD, costs=costs, decisions_per_month=per_month
    )
    result = evaluation.to_dict()
    result["decision_costs"] = None if costs is None else costs.__dict__.copy()
    result["decisions_per_month"] = per_month
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
            evaluation=_finite(result),
            intervals=_finite(intervals),
            abstention=_finite(abstention),
            segments=segments,
            threshold=DEFAULT_THRESHOLD,
            status=RunStatus.READY,
        )
    progress(100, "Evaluation ready")
    run.refresh_from_db()
    return run


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
    return _finite({"threshold": threshold, "overall": overall_dict, "columns": columns})


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


def _finite(value: object) -> object:
    """JSON has no NaN or infinity: store them as null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
        predictions[SEGMENT_PREFIX + column] = series.where(series.isna(), series.map(_label_key))
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
