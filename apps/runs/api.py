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
from apps.runs import services
from apps.runs.models import ModelRun

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
