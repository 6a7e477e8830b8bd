"""API v1: a problem's monitors (list, create), a monitor's check history, batch upload."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from apps.core.api import responses
from apps.core.scoping import get_for_team_or_404
from apps.datasets.models import DatasetVersion
from apps.monitors import services
from apps.monitors.models import Check, Monitor
from apps.problems.models import Problem
from apps.runs.models import ModelRun

router = Router(tags=["monitors"])


class MonitorIn(Schema):
    name: str
    kind: str = "threshold"
    target_run_id: int
    metric: str = ""
    segment_column: str = ""
    segment_value: str = ""
    direction: str = ""
    threshold: float | None = None
    warning_band: float | None = None
    baseline_run_id: int | None = None
    min_abs_change: float | None = None
    min_rel_change: float | None = None
    mode: str = "superiority"
    reference_version_id: int | None = None
    drift_columns: list[str] = []
    psi_warn: float = 0.1
    psi_drift: float = 0.25
    p_value: float = 0.01
    check_interval_minutes: int = 60
    active: bool = True


class MonitorOut(Schema):
    id: int
    problem_id: int
    name: str
    kind: str
    target_run_id: int
    metric: str
    segment_column: str
    segment_value: str
    direction: str
    threshold: float | None
    warning_band: float | None
    baseline_run_id: int | None
    min_abs_change: float | None
    min_rel_change: float | None
    mode: str
    reference_version_id: int | None
    drift_columns: list[str]
    psi_warn: float
    psi_drift: float
    p_value: float
    check_interval_minutes: int
    active: bool
    state: str
    last_value: float | None
    last_checked_at: datetime | None
    created_at: datetime


class CheckOut(Schema):
    id: int
    monitor_id: int
    batch_id: int | None
    trigger: str
    state: str
    previous_state: str
    value: float | None
    baseline_value: float | None
    threshold_line: float | None
    warning_line: float | None
    baseline_line: float | None
    sentence: str
    reasons: list[str]
    created_at: datetime


class BatchAccepted(Schema):
    job_id: UUID
    status: str
    status_url: str


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    return get_for_team_or_404(
        Problem.objects.select_related("team"), request.auth.team_id, pk=problem_id
    )


@router.get(
    "/problems/{problem_id}/monitors",
    response=responses(list[MonitorOut], 404),
    summary="A problem's monitors with their current state",
)
def monitor_list(request: HttpRequest, problem_id: int) -> list[Monitor]:
    problem = _problem(request, problem_id)
    return list(Monitor.objects.filter(problem=problem).order_by("name", "id"))


@router.post(
    "/problems/{problem_id}/monitors",
    response=responses(MonitorOut, 403, 404, status=201),
    summary="Create a monitor (threshold, break-even or drift); it is checked at once",
)
def monitor_create(request: HttpRequest, problem_id: int, payload: MonitorIn) -> Status:
    problem = _problem(request, problem_id)
    team_id = request.auth.team_id
    data = payload.dict()
    run_fields = (("target_run_id", "target_run"), ("baseline_run_id", "baseline_run"))
    for key, name in run_fields:
        run_id = data.pop(key)
        data[name] = (
            None
            if run_id is None
            else get_for_team_or_404(
                ModelRun.objects.all(), team_id, team_field="problem__team", pk=run_id
            )
        )
    version_id = data.pop("reference_version_id")
    data["reference_version"] = (
        None
        if version_id is None
        else get_for_team_or_404(
            DatasetVersion.objects.select_related("dataset"),
            team_id,
            team_field="dataset__problem__team",
            pk=version_id,
        )
    )
    monitor = services.monitor_create(problem=problem, user=request.auth.user, **data)
    monitor.refresh_from_db()
    return Status(201, monitor)


@router.get(
    "/monitors/{monitor_id}/checks",
    response=responses(list[CheckOut], 404),
    summary="A monitor's checks, newest first (at most `limit`, ≤ 1000)",
)
def check_list(request: HttpRequest, monitor_id: int, limit: int = 100) -> list[Check]:
    monitor = get_for_team_or_404(
        Monitor.objects.all(), request.auth.team_id, team_field="problem__team", pk=monitor_id
    )
    limit = max(1, min(limit, 1000))
    return list(Check.objects.filter(monitor=monitor).order_by("-created_at", "-id")[:limit])


@router.post(
    "/monitors/{monitor_id}/batches",
    response=responses(BatchAccepted, 403, 404, 413, status=202),
    summary="Upload a production batch of the monitor's deployed run (checks every monitor "
    "of that run)",
)
def batch_upload(
    request: HttpRequest,
    monitor_id: int,
    file: File[UploadedFile],
    label: Form[str] = "",
    y_true_column: Form[str] = "",
    score_column: Form[str] = "",
) -> Status:
    monitor = get_for_team_or_404(
        Monitor.objects.select_related("target_run__problem__team"),
        request.auth.team_id,
        team_field="problem__team",
        pk=monitor_id,
    )
    job = services.batch_upload_start(
        run=monitor.target_run,
        user=request.auth.user,
        uploaded=file,
        label=label,
        y_true_column=y_true_column,
        score_column=score_column,
    )
    return Status(
        202, {"job_id": job.pk, "status": job.status, "status_url": f"/api/v1/jobs/{job.pk}"}
    )
