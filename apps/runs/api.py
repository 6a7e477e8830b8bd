"""API v1: upload a run's predictions (202 + job) and read a run with its evaluation."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from apps.core.api import responses
from apps.core.scoping import get_for_team_or_404
from apps.datasets.models import DatasetVersion
from apps.problems.models import Problem
from apps.runs import baselines, services
from apps.runs import leaderboard as board_services
from apps.runs.models import Gate, ModelRun

router = Router(tags=["runs"])


class RunAccepted(Schema):
    job_id: UUID
    status: str
    status_url: str


class RunOut(Schema):
    id: int
    problem_id: int
    name: str
    model_version: str
    notes: str
    kind: str
    task: str
    details: dict
    status: str
    dataset_version_id: int | None
    columns: dict
    rows: int
    metrics: dict | None
    intervals: dict | None
    segments: dict | None
    threshold: float
    threshold_set_by: str | None
    threshold_reason: str
    threshold_set_at: datetime | None
    job_id: UUID | None
    created_at: datetime


@router.post(
    "/problems/{problem_id}/runs",
    response=responses(RunAccepted, 403, 404, 413, status=202),
    summary="Upload a prediction file (true value and score, class probabilities or "
    "prediction, by the problem's task) as a run",
)
def run_upload(
    request: HttpRequest,
    problem_id: int,
    name: Form[str],
    file: File[UploadedFile],
    model_version: Form[str] = "",
    notes: Form[str] = "",
    y_true_column: Form[str] = "",
    score_column: Form[str] = "",
    segment_columns: Form[str] = "",
    proba_columns: Form[str] = "",
    dataset_version_id: Form[int | None] = None,
    reference_kind: Form[str] = "",
    source: Form[str] = "",
) -> Status:
    team_id = request.auth.team_id
    problem = get_for_team_or_404(Problem.objects.select_related("team"), team_id, pk=problem_id)
    version = None
    if dataset_version_id is not None:
        version = get_for_team_or_404(
            DatasetVersion.objects.select_related("dataset"),
            team_id,
            team_field="dataset__problem__team",
            pk=dataset_version_id,
        )
    job = services.run_upload_start(
        problem=problem,
        user=request.auth.user,
        name=name,
        uploaded=file,
        model_version=model_version,
        notes=notes,
        y_true_column=y_true_column,
        score_column=score_column,
        segment_columns=segment_columns,
        proba_columns=proba_columns,
        dataset_version=version,
        reference_kind=reference_kind,
        source=source,
    )
    return Status(
        202, {"job_id": job.pk, "status": job.status, "status_url": f"/api/v1/jobs/{job.pk}"}
    )


@router.get(
    "/runs/{run_id}",
    response=responses(RunOut, 404),
    summary="A run: status, metrics with the sweep, intervals and the chosen threshold",
)
def run_get(request: HttpRequest, run_id: int) -> dict:
    run = get_for_team_or_404(
        ModelRun.objects.select_related("threshold_set_by"),
        request.auth.team_id,
        team_field="problem__team",
        pk=run_id,
    )
    return {
        "id": run.pk,
        "problem_id": run.problem_id,
        "name": run.name,
        "model_version": run.model_version,
        "notes": run.notes,
        "kind": run.kind,
        "task": run.task,
        "details": run.details,
        "status": run.status,
        "dataset_version_id": run.dataset_version_id,
        "columns": run.columns,
        "rows": run.rows,
        "metrics": run.evaluation,
        "intervals": run.intervals,
        "segments": run.segments,
        "threshold": run.threshold,
        "threshold_set_by": run.threshold_set_by.username if run.threshold_set_by else None,
        "threshold_reason": run.threshold_reason,
        "threshold_set_at": run.threshold_set_at,
        "job_id": run.job_id,
        "created_at": run.created_at,
    }


class BaselineTrainIn(Schema):
    train_version_id: int
    eval_version_id: int
    automl_budget_s: float | None = baselines.DEFAULT_AUTOML_BUDGET_S
    include_forest: bool = False
    exclude_columns: list[str] = []


def _problem_for(request: HttpRequest, problem_id: int) -> Problem:
    return get_for_team_or_404(
        Problem.objects.select_related("team"), request.auth.team_id, pk=problem_id
    )


def _version_for(request: HttpRequest, version_id: int) -> DatasetVersion:
    return get_for_team_or_404(
        DatasetVersion.objects.select_related("dataset"),
        request.auth.team_id,
        team_field="dataset__problem__team",
        pk=version_id,
    )


@router.post(
    "/problems/{problem_id}/baselines",
    response=responses(RunAccepted, 403, 404, status=202),
    summary="Train the baseline ladder (dummy, one rule, linear, boosting, AutoML-lite) in a job",
)
def baseline_train(request: HttpRequest, problem_id: int, payload: BaselineTrainIn) -> Status:
    problem = _problem_for(request, problem_id)
    job = baselines.baseline_train_start(
        problem=problem,
        user=request.auth.user,
        train_version=_version_for(request, payload.train_version_id),
        eval_version=_version_for(request, payload.eval_version_id),
        automl_budget_s=payload.automl_budget_s,
        include_forest=payload.include_forest,
        exclude_columns=payload.exclude_columns,
    )
    return Status(
        202, {"job_id": job.pk, "status": job.status, "status_url": f"/api/v1/jobs/{job.pk}"}
    )


class MetricValueIn(Schema):
    value: float
    low: float | None = None
    high: float | None = None


class ReferenceIn(Schema):
    name: str
    reference_kind: str
    metrics: dict[str, MetricValueIn]
    source: str = ""
    url: str = ""
    date: str = ""
    sample_size: int | None = None
    notes: str = ""


class ReferenceOut(Schema):
    id: int
    name: str
    kind: str
    details: dict
    metrics: dict


@router.post(
    "/problems/{problem_id}/references",
    response=responses(ReferenceOut, 403, 404, status=201),
    summary="Record an external baseline: a human expert, published result, standard or system",
)
def reference_create(request: HttpRequest, problem_id: int, payload: ReferenceIn) -> Status:
    data = payload.dict()
    run = baselines.reference_create(
        problem=_problem_for(request, problem_id), user=request.auth.user, **data
    )
    return Status(
        201,
        {
            "id": run.pk,
            "name": run.name,
            "kind": run.kind,
            "details": run.details,
            "metrics": run.evaluation,
        },
    )


class GateCheckOut(Schema):
    gate_id: int
    state: str
    sentence: str
    value: float | None
    baseline_value: float | None


class EntryOut(Schema):
    run_id: int
    name: str
    kind: str
    value: float | None
    interval: dict | None
    gain: float | None
    cost_per_decision: float | None
    cost_per_month: float | None
    is_reference: bool
    verdict: dict | None
    gate_status: str | None
    gates: list[GateCheckOut]


class LeaderboardOut(Schema):
    metric: str
    higher_is_better: bool
    reference_run_id: int | None
    reference_value: float | None
    verdicts_status: str | None
    verdicts_job_id: UUID | None
    # Test/holdout versions the entries were scored on: {version_id, name, evaluations,
    # heavily_reused}; a heavily reused test set makes small margins suspect.
    test_sets: list[dict]
    entries: list[EntryOut]


@router.get(
    "/problems/{problem_id}/leaderboard",
    response=responses(LeaderboardOut, 404),
    summary="Every run on the primary metric: interval, gain, cost, gates and paired verdicts",
)
def leaderboard_get(request: HttpRequest, problem_id: int) -> dict:
    board = board_services.leaderboard(_problem_for(request, problem_id))
    # The verdicts are resampled in a job, started on the first read of this board state;
    # poll verdicts_job_id (or this route) until verdicts_status is "succeeded".
    job = board_services.verdicts_job(board, user=request.auth.user, start=True)
    board_services.attach_verdicts(board, job)
    return {
        "metric": board["metric"].key,
        "higher_is_better": board["metric"].higher_is_better,
        "reference_run_id": board["reference"].pk if board["reference"] else None,
        "reference_value": board["reference_value"],
        "verdicts_status": job.status if job else None,
        "verdicts_job_id": job.pk if job else None,
        "test_sets": [
            {
                "version_id": v.pk,
                "name": str(v),
                "evaluations": v.evaluation_count,
                "heavily_reused": v.heavily_reused,
            }
            for v in board["test_sets"]
        ],
        "entries": [
            {
                "run_id": e.run.pk,
                "name": e.run.name,
                "kind": e.run.kind,
                "value": e.value,
                "interval": e.interval,
                "gain": e.gain,
                "cost_per_decision": e.cost_per_decision,
                "cost_per_month": e.cost_per_month,
                "is_reference": e.is_reference,
                "verdict": e.verdict,
                "gate_status": e.gate_status,
                "gates": [
                    {
                        "gate_id": c.gate.pk,
                        "state": c.state,
                        "sentence": c.sentence,
                        "value": c.value,
                        "baseline_value": c.baseline_value,
                    }
                    for c in e.gates
                ],
            }
            for e in board["entries"]
        ],
    }


class GateIn(Schema):
    metric: str
    threshold: float | None = None
    baseline: str = ""
    baseline_run_id: int | None = None
    min_abs_change: float | None = None
    min_rel_change: float | None = None
    mode: str = "superiority"


class GateOut(Schema):
    id: int
    metric: str
    threshold: float | None
    baseline: str
    baseline_run_id: int | None
    min_abs_change: float | None
    min_rel_change: float | None
    mode: str


def _gate_out(gate: Gate) -> dict:
    return {
        "id": gate.pk,
        "metric": gate.metric,
        "threshold": gate.threshold,
        "baseline": gate.baseline,
        "baseline_run_id": gate.baseline_run_id,
        "min_abs_change": gate.min_abs_change,
        "min_rel_change": gate.min_rel_change,
        "mode": gate.mode,
    }


@router.get(
    "/problems/{problem_id}/gates",
    response=responses(list[GateOut], 404),
    summary="The gates every uploaded run of the problem is checked against",
)
def gate_list(request: HttpRequest, problem_id: int) -> list[dict]:
    problem = _problem_for(request, problem_id)
    return [_gate_out(gate) for gate in problem.gates.all()]


@router.post(
    "/problems/{problem_id}/gates",
    response=responses(GateOut, 403, 404, status=201),
    summary="Add a gate: a threshold and/or a margin over a baseline (ties pass)",
)
def gate_create(request: HttpRequest, problem_id: int, payload: GateIn) -> Status:
    problem = _problem_for(request, problem_id)
    data = payload.dict()
    run_id = data.pop("baseline_run_id")
    baseline_run = None
    if run_id is not None:
        baseline_run = get_for_team_or_404(
            ModelRun.objects.all(), request.auth.team_id, team_field="problem__team", pk=run_id
        )
    gate = board_services.gate_create(
        problem=problem, user=request.auth.user, baseline_run=baseline_run, **data
    )
    return Status(201, _gate_out(gate))


@router.delete(
    "/gates/{gate_id}",
    response=responses(None, 403, 404, status=204),
    summary="Remove a gate",
)
def gate_delete(request: HttpRequest, gate_id: int) -> Status:
    gate = get_for_team_or_404(
        Gate.objects.all(), request.auth.team_id, team_field="problem__team", pk=gate_id
    )
    board_services.gate_delete(gate=gate)
    return Status(204, None)
