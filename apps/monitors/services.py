"""Writes for monitors: create and update (validated by mlcore's Rule), upload production
batches, and check a monitor — one Check row per evaluation, notifications on a change.

Which changes notify: every change of state between two consecutive checks (ok → warn,
warn → breach, breach → ok, anything ↔ no data), once; the same state again ("still
breached") never does. A monitor's first check notifies only when it is a breach: a
new monitor that is fine is not news.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core import services as job_services
from apps.core.jobs import Progress
from apps.core.models import Job
from apps.datasets import services as dataset_services
from apps.datasets import storage as dataset_storage
from apps.datasets.models import DatasetVersion, VersionStatus
from apps.monitors import evaluation as batch_eval
from apps.monitors.models import (
    SPARK_POINTS,
    Check,
    CheckState,
    CheckTrigger,
    Monitor,
    MonitorKind,
    ProductionBatch,
)
from apps.problems.models import Problem, TaskType
from apps.runs import storage as run_storage
from apps.runs.evaluation import decision_costs, evaluate_predictions, finite
from apps.runs.metrics import METRICS, metric_value, metrics_for_task
from apps.runs.models import ModelRun, RunStatus
from apps.runs.predictions import map_frame, read_staged, staged_file_errors
from apps.runs.selectors import threshold_point
from mlcore.costs import no_model_costs
from mlcore.drift import DriftThresholds, drift_report
from mlcore.rules import Rule, break_even_accuracy, break_even_recall, check_rule

logger = logging.getLogger(__name__)

BATCH_KIND = "monitor_batch_evaluate"
FEATURE_PREFIX = "feature:"
BREAK_EVEN_METRICS = ("accuracy", "recall")
# While a due monitor waits for a worker, beat does not hand it out again.
DUE_LEASE = timedelta(minutes=5)
MAX_DRIFT_COLUMNS = 50

MONITOR_FIELDS = (
    "name",
    "kind",
    "target_run",
    "metric",
    "segment_column",
    "segment_value",
    "direction",
    "threshold",
    "warning_band",
    "baseline_run",
    "min_abs_change",
    "min_rel_change",
    "mode",
    "reference_version",
    "drift_columns",
    "psi_warn",
    "psi_drift",
    "p_value",
    "check_interval_minutes",
    "active",
)


# --- validation ------------------------------------------------------------------------

# mlcore's Rule names the field first ("warning_band must be ≥ 0"): map it to the form.
RULE_FIELDS = (
    "threshold",
    "warning_band",
    "baseline_label",
    "min_abs_change",
    "min_rel_change",
    "direction",
    "mode",
)


def _rule_error(exc: ValueError) -> ValidationError:
    text = str(exc)
    name = next((f for f in RULE_FIELDS if text.startswith(f)), "metric")
    name = "baseline_run" if name == "baseline_label" else name
    text = text.split(": ", 1)[1] if text.startswith(f"{name}: ") else text
    return ValidationError({name: text[0].upper() + text[1:]})


def monitor_rule(monitor: Monitor, *, line: float | None = None) -> Rule:
    """The mlcore Rule a threshold or break-even monitor stands for (line: break-even)."""
    metric = METRICS.get(monitor.metric)
    label = metric.label if metric else monitor.metric
    if monitor.segment_column:
        label = f"{label} on {monitor.segment_column} = {monitor.segment_value}"
    if monitor.kind == MonitorKind.BREAK_EVEN:
        return Rule(
            metric=monitor.metric,
            metric_label=label,
            direction="higher",
            threshold=line,
            warning_band=monitor.warning_band if line is not None else None,
        )
    return Rule(
        metric=monitor.metric,
        metric_label=label,
        direction=monitor.direction,
        threshold=monitor.threshold,
        warning_band=monitor.warning_band,
        baseline_label=monitor.baseline_run.name if monitor.baseline_run_id else None,
        min_abs_change=monitor.min_abs_change,
        min_rel_change=monitor.min_rel_change,
        mode=monitor.mode,
    )


def _validate(monitor: Monitor) -> None:
    """Raise ValidationError naming the field; nothing is stored until this passes."""
    problem = monitor.problem
    errors: dict[str, str] = {}
    monitor.name = (monitor.name or "").strip()
    if not monitor.name:
        errors["name"] = "Give the monitor a name, e.g. “ROC AUC floor”."
    run = monitor.target_run if monitor.target_run_id else None
    if run is None or run.problem_id != problem.pk:
        errors["target_run"] = "Pick the deployed run of this problem whose batches are checked."
    if monitor.baseline_run_id and monitor.baseline_run.problem_id != problem.pk:
        errors["baseline_run"] = "The baseline must be a run of the same problem."
    if monitor.kind not in MonitorKind.values:
        errors["kind"] = f"Pick one of: {', '.join(MonitorKind.values)}."
        raise ValidationError(errors)
    if monitor.check_interval_minutes is None or monitor.check_interval_minutes < 1:
        errors["check_interval_minutes"] = "Check at least every 1 minute (e.g. 60)."
    if monitor.kind == MonitorKind.DRIFT:
        _validate_drift(monitor, errors)
    else:
        task = run.task if run is not None else problem.task_type
        keys = {m.key for m in metrics_for_task(task)}
        if monitor.metric not in keys:
            errors["metric"] = f"Pick a metric of a {task} run: {', '.join(sorted(keys))}."
        elif monitor.kind == MonitorKind.THRESHOLD:
            expected = "higher" if METRICS[monitor.metric].higher_is_better else "lower"
            monitor.direction = monitor.direction or expected
        if bool(monitor.segment_column) != bool(monitor.segment_value):
            errors["segment_value"] = "Give both the segment column and its value, or neither."
        if monitor.kind == MonitorKind.BREAK_EVEN:
            _validate_break_even(monitor, problem, errors)
    if errors:
        raise ValidationError(errors)
    if monitor.kind == MonitorKind.THRESHOLD:
        try:
            monitor_rule(monitor)
        except ValueError as exc:
            raise _rule_error(exc) from None


def _validate_break_even(monitor: Monitor, problem: Problem, errors: dict) -> None:
    monitor.direction = "higher"
    if problem.task_type != TaskType.BINARY:
        errors["kind"] = "Break-even needs a binary problem (costs of a false positive/negative)."
    elif decision_costs(problem) is None:
        errors["kind"] = "Break-even needs the problem's cost of a false positive and negative."
    if monitor.metric not in BREAK_EVEN_METRICS:
        errors["metric"] = "Break-even is solved for accuracy or recall."
    if monitor.warning_band is not None and monitor.warning_band < 0:
        errors["warning_band"] = "The warning band must be ≥ 0."


def _validate_drift(monitor: Monitor, errors: dict) -> None:
    version = monitor.reference_version if monitor.reference_version_id else None
    monitor.direction = "lower"
    monitor.metric = "psi"
    if version is None or version.dataset.problem_id != monitor.problem_id:
        errors["reference_version"] = "Pick a dataset version of this problem as the reference."
    elif version.status != VersionStatus.READY:
        errors["reference_version"] = "The reference version is not ready yet."
    else:
        names = {c["name"] for c in version.schema}
        columns = [c.strip() for c in monitor.drift_columns or [] if c and c.strip()]
        missing = [c for c in columns if c not in names]
        if not columns:
            errors["drift_columns"] = "Name at least one column of the reference version."
        elif missing:
            errors["drift_columns"] = (
                f"Not in {version}: {', '.join(missing)}. Its columns: "
                f"{', '.join(sorted(names)[:20])}."
            )
        elif len(columns) > MAX_DRIFT_COLUMNS:
            errors["drift_columns"] = f"Compare at most {MAX_DRIFT_COLUMNS} columns."
        monitor.drift_columns = list(dict.fromkeys(columns))
    if not 0 < monitor.psi_warn <= monitor.psi_drift:
        errors["psi_warn"] = "Need 0 < PSI warning ≤ PSI drift (e.g. 0.1 and 0.25)."
    if not 0 < monitor.p_value < 1:
        errors["p_value"] = "The p-value threshold is between 0 and 1 (e.g. 0.01)."


# --- create / update ---------------------------------------------------------------------


def monitor_create(*, problem: Problem, user: User | None, **fields: object) -> Monitor:
    """Validate and store a monitor, then check it once (after commit)."""
    unknown = set(fields) - set(MONITOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown monitor fields: {', '.join(sorted(unknown))}")
    monitor = Monitor(problem=problem, created_by=user, **fields)
    _validate(monitor)
    monitor.save()
    _check_after_commit(monitor, CheckTrigger.CREATED)
    return monitor


def monitor_update(*, monitor: Monitor, **fields: object) -> Monitor:
    """Change a monitor's rule or settings and check it again (after commit)."""
    unknown = set(fields) - set(MONITOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown monitor fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(monitor, name, value)
    _validate(monitor)
    monitor.save()
    _check_after_commit(monitor, CheckTrigger.MANUAL)
    return monitor


def _check_after_commit(monitor: Monitor, trigger: str) -> None:
    from apps.monitors.tasks import monitor_check_task

    monitor_id = monitor.pk
    transaction.on_commit(lambda: monitor_check_task.delay(monitor_id, trigger))


# --- production batches ------------------------------------------------------------------


def batch_upload_start(
    *,
    run: ModelRun,
    user: User,
    uploaded: UploadedFile,
    label: str = "",
    y_true_column: str = "",
    score_column: str = "",
) -> Job:
    """Stage a production batch of the run's predictions and start the job that checks it."""
    if run.status != RunStatus.READY:
        raise ValidationError({"file": "The run is not evaluated yet; batches need a ready run."})
    if run.storage_key is None and run.kind == "external":
        raise ValidationError({"file": "External references have no production batches."})
    filename = (uploaded.name or "batch").rsplit("/", 1)[-1]
    dataset_services.check_upload(uploaded, filename)
    key = run_storage.stage_upload(uploaded, filename)
    params = {
        "run_id": run.pk,
        "user_id": user.pk,
        "label": label.strip()[:100],
        "y_true_column": y_true_column.strip(),
        "score_column": score_column.strip(),
        "task": run.task,
        "filename": filename,
        "staging_key": key,
    }
    return job_services.job_create(
        team=run.problem.team,
        kind=BATCH_KIND,
        title=f"Production batch for {run.name} ({filename})",
        params=params,
        user=user,
    )


def _segment_names(run: ModelRun, file_columns: list[str]) -> list[str]:
    wanted = list(run.columns.get("segments") or [])
    wanted += (
        Monitor.objects.filter(target_run=run)
        .exclude(segment_column="")
        .values_list("segment_column", flat=True)
    )
    return [c for c in dict.fromkeys(wanted) if c in file_columns]


def batch_evaluate(*, job: Job, progress: Progress) -> dict:
    """Validate a staged batch, store it, evaluate it and check every monitor of its run."""
    p = job.params
    run = ModelRun.objects.select_related("problem__team").get(pk=p["run_id"])
    stored = ProductionBatch.objects.filter(job=job).first()
    if stored is not None:
        # A redelivered job whose batch was stored: only the checks may be missing.
        return _check_batch(run, stored, progress)
    progress(5, "Reading and validating every row")
    with staged_file_errors(p["staging_key"]):
        raw, parquet = read_staged(p)
        params = {**p, "segment_columns": _segment_names(run, [str(c) for c in raw.columns])}
        predictions, columns = map_frame(run.problem, params, raw, parquet=parquet)
    mapped = {v for v in columns.values() if isinstance(v, str)}
    features = [str(c) for c in raw.columns if str(c) not in mapped]
    for name in features:
        predictions[FEATURE_PREFIX + name] = raw[name].to_numpy()
    progress(40, f"Evaluating {len(predictions):,} rows")
    evaluation = evaluate_predictions(
        problem=run.problem,
        task=run.task,
        predictions=predictions,
        threshold=run.threshold,
    )
    key = run_storage.write_predictions(predictions)
    run_storage.delete_quietly(p["staging_key"])
    try:
        batch = ProductionBatch.objects.create(
            run=run,
            label=p.get("label", ""),
            original_filename=p["filename"],
            storage_key=key,
            columns=columns,
            feature_columns=features,
            rows=len(predictions),
            evaluation=evaluation,
            job=job,
            created_by_id=p["user_id"],
        )
    except Exception:
        run_storage.delete_quietly(key)
        raise
    return _check_batch(run, batch, progress)


def _check_batch(run: ModelRun, batch: ProductionBatch, progress: Progress) -> dict:
    progress(70, "Checking the monitors")
    states = {}
    for monitor in Monitor.objects.filter(target_run=run, active=True).order_by("pk"):
        check = monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger=CheckTrigger.BATCH)
        if check is not None:
            states[monitor.name] = check.state
    return {
        "batch_id": batch.pk,
        "run_id": run.pk,
        "run_name": run.name,
        "rows": batch.rows,
        "states": states,
    }


def batch_create_from_frame(
    *, run: ModelRun, predictions: pd.DataFrame, label: str = "", user: User | None = None
) -> ProductionBatch:
    """Store already-mapped batch predictions built in code (tests, benchmark, demo)."""
    evaluation = evaluate_predictions(
        problem=run.problem, task=run.task, predictions=predictions, threshold=run.threshold
    )
    key = run_storage.write_predictions(predictions)
    return ProductionBatch.objects.create(
        run=run,
        label=label,
        original_filename=f"{label or 'batch'}.parquet",
        storage_key=key,
        columns={c: c for c in ("y_true", "score", "prediction", "predicted") if c in predictions},
        feature_columns=[
            c[len(FEATURE_PREFIX) :] for c in predictions.columns if c.startswith(FEATURE_PREFIX)
        ],
        rows=len(predictions),
        evaluation=evaluation,
        created_by=user,
    )


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Measurement:
    """What one check found, before it is stored."""

    state: str
    value: float | None = None
    baseline_value: float | None = None
    threshold_line: float | None = None
    warning_line: float | None = None
    baseline_line: float | None = None
    reasons: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def sentence(self) -> str:
        return " ".join(self.reasons) if self.reasons else "Meets every condition."


def _source(monitor: Monitor, batch: ProductionBatch | None) -> tuple[dict | None, str]:
    """The evaluation a check reads (a batch's, else the run's own) and where it came from."""
    run = monitor.target_run
    if batch is None:
        return run.evaluation, f"run {run.name}"
    return batch.evaluation, f"batch {batch.pk}"


def _segment_evaluation(monitor: Monitor, batch: ProductionBatch | None) -> dict | None:
    """The evaluation of the monitor's segment rows, cached on the batch."""
    run = monitor.target_run
    key = batch_eval.segment_key(monitor.segment_column, monitor.segment_value)
    if batch is not None and key in batch.segment_evaluations:
        return batch.segment_evaluations[key]
    storage_key = batch.storage_key if batch is not None else run.storage_key
    if not storage_key:
        return None
    frame = run_storage.read_predictions(storage_key)
    rows = batch_eval.segment_rows(frame, monitor.segment_column, monitor.segment_value)
    result = None
    if rows is not None:
        result = evaluate_predictions(
            problem=run.problem, task=run.task, predictions=rows, threshold=run.threshold
        )
    if batch is not None:
        batch.segment_evaluations = {**batch.segment_evaluations, key: result}
        ProductionBatch.objects.filter(pk=batch.pk).update(
            segment_evaluations=batch.segment_evaluations
        )
    return result


def _from_result(result: object, details: dict | None = None) -> Measurement:
    return Measurement(
        state=result.state.value,
        value=result.value,
        baseline_value=result.baseline_value,
        threshold_line=result.threshold_line,
        warning_line=result.warning_line,
        baseline_line=result.baseline_line,
        reasons=list(result.reasons),
        details=details or {},
    )


def measure(monitor: Monitor, batch: ProductionBatch | None) -> Measurement:
    """Evaluate a monitor on a batch (or its run) without storing anything."""
    if monitor.kind == MonitorKind.DRIFT:
        return _measure_drift(monitor, batch)
    run = monitor.target_run
    if monitor.segment_column:
        evaluation = _segment_evaluation(monitor, batch)
        if evaluation is None:
            return Measurement(
                state=CheckState.NO_DATA,
                reasons=[
                    f"No rows with {monitor.segment_column} = {monitor.segment_value} "
                    f"in {_source(monitor, batch)[1]}."
                ],
            )
    else:
        evaluation, _ = _source(monitor, batch)
    value = metric_value(run.task, evaluation, run.threshold, monitor.metric)
    if monitor.kind == MonitorKind.BREAK_EVEN:
        return _measure_break_even(monitor, evaluation, value)
    baseline_value = None
    if monitor.baseline_run_id:
        base = monitor.baseline_run
        baseline_value = metric_value(base.task, base.evaluation, base.threshold, monitor.metric)
    result = check_rule(monitor_rule(monitor), value, baseline_value)
    return _from_result(result)


def break_even_for(monitor: Monitor, evaluation: dict | None) -> dict | None:
    """The break-even level of the monitor's metric on one evaluation, with its explanation."""
    problem = monitor.problem
    costs = decision_costs(problem)
    if costs is None or not evaluation or not evaluation.get("n") or not evaluation.get("curve"):
        return None
    prevalence = evaluation["n_pos"] / evaluation["n"]
    if problem.fallback_cost_per_case is not None:
        fallback = float(problem.fallback_cost_per_case)
        fallback_name = "the fallback's cost per case"
    else:
        best = no_model_costs(
            costs,
            prevalence=prevalence,
            existing_tpr=problem.existing_tpr,
            existing_fpr=problem.existing_fpr,
        ).best
        fallback, fallback_name = best.cost_per_decision, f"deciding without a model ({best.name})"
    point = threshold_point(evaluation, monitor.target_run.threshold)
    if monitor.metric == "recall":
        negatives = point["fp"] + point["tn"]
        fpr = point["fp"] / negatives if negatives else 0.0
        result = break_even_recall(
            costs, prevalence=prevalence, fallback_cost=fallback, false_positive_rate=fpr
        )
    else:
        mistakes = point["fn"] + point["fp"]
        missed = point["fn"] / mistakes if mistakes else 0.5
        try:
            result = break_even_accuracy(costs, prevalence=prevalence, fallback_cost=fallback)
        except ValueError:
            result = break_even_accuracy(
                costs, prevalence=prevalence, fallback_cost=fallback, missed_share=missed
            )
    return {**result.to_dict(), "fallback_name": fallback_name}


def _measure_break_even(
    monitor: Monitor, evaluation: dict | None, value: float | None
) -> Measurement:
    found = break_even_for(monitor, evaluation)
    if found is None:
        return Measurement(
            state=CheckState.NO_DATA,
            value=value,
            reasons=["No evaluation with costs to compute the break-even level from."],
        )
    if found["level"] is None:
        return Measurement(
            state=CheckState.NO_DATA, value=value, reasons=[found["explanation"]], details=found
        )
    result = check_rule(monitor_rule(monitor, line=found["level"]), value)
    return _from_result(result, found)


def _measure_drift(monitor: Monitor, batch: ProductionBatch | None) -> Measurement:
    version = monitor.reference_version
    if batch is None:
        return Measurement(state=CheckState.NO_DATA, reasons=["No production batch yet."])
    if version is None:
        return Measurement(state=CheckState.NO_DATA, reasons=["The reference version is gone."])
    missing = [c for c in monitor.drift_columns if c not in batch.feature_columns]
    if missing:
        return Measurement(
            state=CheckState.NO_DATA,
            reasons=[f"Batch {batch.pk} has no column {', '.join(missing)}."],
        )
    reference = dataset_storage.read_parquet(version.storage_key, columns=monitor.drift_columns)
    current = run_storage.read_predictions(batch.storage_key)[
        [FEATURE_PREFIX + c for c in monitor.drift_columns]
    ]
    current.columns = monitor.drift_columns
    thresholds = DriftThresholds(
        psi_warn=monitor.psi_warn,
        psi_drift=monitor.psi_drift,
        ks_pvalue=monitor.p_value,
        chi2_pvalue=monitor.p_value,
    )
    report = drift_report(reference, current, columns=monitor.drift_columns, thresholds=thresholds)
    states = {"drift": CheckState.BREACH, "warn": CheckState.WARN, "ok": CheckState.OK}
    worst = CheckState.OK
    reasons = []
    for column in report.columns:
        state = states[column.status]
        if state != CheckState.OK:
            reasons.append(f"{column.column}: {column.reason}")
        if state == CheckState.BREACH or (state == CheckState.WARN and worst == CheckState.OK):
            worst = state
    psis = [c.psi for c in report.columns if c.psi is not None]
    return Measurement(
        state=worst,
        value=max(psis) if psis else None,
        threshold_line=monitor.psi_drift,
        warning_line=monitor.psi_warn,
        reasons=reasons,
        details={"drift": report.to_dict()},
    )


# --- checking ----------------------------------------------------------------------------


def _latest_batch(run_id: int) -> ProductionBatch | None:
    return ProductionBatch.objects.filter(run_id=run_id).order_by("-created_at", "-id").first()


def monitor_check(
    *, monitor_id: int, batch_id: int | None = None, trigger: str = CheckTrigger.MANUAL
) -> Check | None:
    """Evaluate a monitor, write one Check row, and on a state change notify the channels.

    The measurement runs outside the transaction; the write locks the monitor row
    (SELECT … FOR UPDATE) and moves the state with a conditional UPDATE from the state it
    read, so two concurrent checks cannot both record the same change or both notify.
    A batch is checked once per monitor (None when it already was).
    """
    monitor = (
        Monitor.objects.select_related("problem__team", "target_run", "baseline_run")
        .select_related("reference_version")
        .filter(pk=monitor_id)
        .first()
    )
    if monitor is None:
        return None
    batch = None
    if batch_id is not None:
        batch = ProductionBatch.objects.filter(pk=batch_id).first()
    elif monitor.kind == MonitorKind.DRIFT or trigger != CheckTrigger.BATCH:
        batch = _latest_batch(monitor.target_run_id)
    if trigger == CheckTrigger.BATCH and batch is None:
        return None
    if (
        trigger == CheckTrigger.BATCH
        and Check.objects.filter(
            monitor_id=monitor_id, batch=batch, trigger=CheckTrigger.BATCH
        ).exists()
    ):
        return None
    found = measure(monitor, batch)
    try:
        return _record(monitor, batch, trigger, found)
    except IntegrityError:
        # A concurrent delivery of the same batch check got there first.
        logger.info("Monitor %s: batch %s already checked", monitor_id, batch_id)
        return None


def _record(
    monitor: Monitor, batch: ProductionBatch | None, trigger: str, found: Measurement
) -> Check | None:
    from apps.monitors.notifications import notifications_for_check

    now = timezone.now()
    with transaction.atomic():
        locked = Monitor.objects.select_for_update().get(pk=monitor.pk)
        if (
            trigger == CheckTrigger.BATCH
            and Check.objects.filter(monitor=locked, batch=batch, trigger=trigger).exists()
        ):
            return None
        first = locked.last_checked_at is None
        check = Check.objects.create(
            monitor=locked,
            batch=batch,
            trigger=trigger,
            state=found.state,
            previous_state="" if first else locked.state,
            value=found.value,
            baseline_value=found.baseline_value,
            threshold_line=found.threshold_line,
            warning_line=found.warning_line,
            baseline_line=found.baseline_line,
            sentence=found.sentence,
            reasons=found.reasons,
            details=finite(found.details),
        )
        moved = Monitor.objects.filter(
            pk=locked.pk, state=locked.state, last_checked_at=locked.last_checked_at
        ).update(
            state=found.state,
            last_value=found.value,
            recent=[*locked.recent, [found.value, found.state]][-SPARK_POINTS:],
            last_checked_at=now,
            next_check_at=now + timedelta(minutes=locked.check_interval_minutes),
        )
        if not moved:
            # Someone changed the row between our read and write: roll back, check again.
            raise IntegrityError("monitor state moved during the check")
        notify = check.changed or (first and found.state == CheckState.BREACH)
        if notify:
            notifications_for_check(check=check, monitor=monitor)
    return check


def monitor_due_ids(*, now: object | None = None, limit: int = 5000) -> list[tuple[int, str]]:
    """Claim active monitors due by their interval or with a newer ready run than their check.

    Claiming pushes `next_check_at` forward by a lease, so the next beat tick does not hand
    a monitor out again while it waits for a worker.
    """
    now = now or timezone.now()
    newer_run = ModelRun.objects.filter(
        problem=OuterRef("problem"),
        status=RunStatus.READY,
        created_at__gt=OuterRef("last_checked_at"),
    )
    due = (
        Monitor.objects.filter(active=True)
        .annotate(new_run=Exists(newer_run))
        .filter(Q(next_check_at__lte=now) | Q(next_check_at__isnull=True) | Q(new_run=True))
        .values_list("pk", "new_run", "next_check_at")[:limit]
    )
    claimed = []
    for pk, new_run, next_at in due:
        if Monitor.objects.filter(pk=pk, next_check_at=next_at).update(
            next_check_at=now + DUE_LEASE
        ):
            claimed.append((pk, CheckTrigger.RUN if new_run else CheckTrigger.SCHEDULE))
    return claimed


def versions_for_drift(problem: Problem) -> QuerySet[DatasetVersion]:
    """Ready dataset versions of the problem, the choices of a drift reference."""
    return (
        DatasetVersion.objects.filter(dataset__problem=problem, status=VersionStatus.READY)
        .select_related("dataset")
        .order_by("dataset__name", "-number")
    )


def segment_choices(run: ModelRun) -> list[str]:
    """Segment columns a run was uploaded with."""
    return [c for c in run.columns.get("segments") or [] if isinstance(c, str)]
