"""API v1: upload dataset versions (202 + job) and read a version with its profile."""

import datetime as dt
from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from apps.core.api import responses
from apps.core.scoping import get_for_team_or_404
from apps.datasets import services
from apps.datasets.models import DatasetVersion
from apps.problems.models import Problem

router = Router(tags=["datasets"])


class UploadAccepted(Schema):
    job_id: UUID
    status: str
    status_url: str


class JobRef(Schema):
    id: UUID
    status: str
    progress: int
    error: str


class VersionOut(Schema):
    id: int
    problem_id: int
    dataset: str
    number: int
    role: str
    period_start: dt.date | None
    period_end: dt.date | None
    status: str
    original_filename: str
    sha256: str
    rows: int
    columns: int
    schema_: list[dict]
    profile: dict | None
    warnings: list[dict]
    evaluation_count: int
    created_at: datetime
    job: JobRef | None


@router.post(
    "/problems/{problem_id}/datasets",
    response=responses(UploadAccepted, 403, 404, 413, status=202),
    summary="Upload a CSV or Parquet file as a new dataset version",
)
def dataset_upload(
    request: HttpRequest,
    problem_id: int,
    name: Form[str],
    role: Form[str],
    file: File[UploadedFile],
    period_start: Form[dt.date | None] = None,
    period_end: Form[dt.date | None] = None,
    description: Form[str] = "",
) -> Status:
    problem = get_for_team_or_404(
        Problem.objects.select_related("team"), request.auth.team_id, pk=problem_id
    )
    job = services.dataset_upload_start(
        problem=problem,
        user=request.auth.user,
        name=name,
        role=role,
        uploaded=file,
        period_start=period_start,
        period_end=period_end,
        description=description,
    )
    return Status(
        202, {"job_id": job.pk, "status": job.status, "status_url": f"/api/v1/jobs/{job.pk}"}
    )


@router.get(
    "/datasets/{version_id}",
    response=responses(VersionOut, 404),
    summary="A dataset version, its schema, profile and warnings",
)
def dataset_version_get(request: HttpRequest, version_id: int) -> dict:
    version = get_for_team_or_404(
        DatasetVersion.objects.select_related("dataset", "job"),
        request.auth.team_id,
        team_field="dataset__problem__team",
        pk=version_id,
    )
    job = version.job
    return {
        "id": version.pk,
        "problem_id": version.dataset.problem_id,
        "dataset": version.dataset.name,
        "number": version.number,
        "role": version.role,
        "period_start": version.period_start,
        "period_end": version.period_end,
        "status": version.status,
        "original_filename": version.original_filename,
        "sha256": version.sha256,
        "rows": version.rows,
        "columns": version.column_count,
        "schema_": version.schema,
        "profile": version.profile,
        "warnings": version.warnings,
        "evaluation_count": version.evaluation_count,
        "created_at": version.created_at,
        "job": {"id": job.pk, "status": job.status, "progress": job.progress, "error": job.error}
        if job
        else None,
    }
