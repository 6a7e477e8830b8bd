"""API v1, core routes: who am I, and background job status."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from apps.core.models import Job
from apps.core.scoping import get_for_team_or_404


class ErrorItem(Schema):
    field: str | None = None
    row: int | None = None
    column: str | None = None
    message: str


class ErrorOut(Schema):
    """Every error: a sentence, and the fields/rows/columns it is about."""

    detail: str
    errors: list[ErrorItem] = []


ERROR_DESCRIPTIONS = {
    401: "Missing, unknown or revoked token",
    403: "The token or the user's role may not do this",
    404: "Not found, or not visible to this token's team",
    422: "Invalid input: see `errors` for each field",
}


def responses(ok: object, *codes: int, status: int = 200) -> dict[int, object]:
    """A response map that documents the error codes an operation can return."""
    return {status: ok, **{code: ErrorOut for code in (401, 422, *codes)}}


class TeamOut(Schema):
    id: int
    slug: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    team: TeamOut
    role: str
    token_name: str
    token_read_only: bool


class JobOut(Schema):
    id: UUID
    kind: str
    title: str
    status: str
    progress: int
    message: str
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict | None


router = Router(tags=["core"])


@router.get("/me", response=responses(MeOut), summary="The token's user, team and role")
def me(request: HttpRequest) -> MeOut:
    token = request.auth
    membership = token.user.memberships.get(team=token.team)
    return MeOut(
        username=token.user.username,
        full_name=token.user.get_full_name(),
        team=TeamOut(id=token.team.pk, slug=token.team.slug, name=token.team.name),
        role=membership.role,
        token_name=token.name,
        token_read_only=token.read_only,
    )


@router.get("/jobs/{job_id}", response=responses(JobOut, 404), summary="A background job's state")
def job_get(request: HttpRequest, job_id: UUID) -> Job:
    return get_for_team_or_404(Job.objects.all(), request.auth.team_id, pk=job_id)
