"""API v1: problem definitions (same validation and revision history as the web forms)."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from apps.accounts.models import User
from apps.core.api import responses
from apps.core.scoping import get_for_team_or_404
from apps.problems import selectors, services
from apps.problems.models import Problem, RevisionSource
from apps.problems.sections import completeness

router = Router(tags=["problems"])


class ProblemFields(Schema):
    """Every editable field; all optional so PATCH can send only what changes."""

    summary: str | None = None
    desired_outcome: str | None = None
    decision: str | None = None
    affected_users: str | None = None
    task_type: str | None = Field(None, description="binary, multiclass or regression")
    target_column: str | None = None
    positive_label: str | None = None
    primary_metric: str | None = None
    metric_rationale: str | None = None
    currency: str | None = None
    cost_fp: Decimal | None = None
    cost_fn: Decimal | None = None
    value_tp: Decimal | None = None
    value_tn: Decimal | None = None
    decisions_per_month: int | None = None
    positive_rate: float | None = None
    existing_solution: str | None = None
    existing_performance: str | None = None
    existing_tpr: float | None = None
    existing_fpr: float | None = None
    non_ml_mvp: str | None = None
    data_sources: str | None = None
    label_availability: str | None = None
    fallback_kind: str | None = None
    fallback_description: str | None = None
    fallback_capacity_per_month: int | None = None
    fallback_cost_per_case: Decimal | None = None
    critical_segments: str | None = None
    owner: str | None = Field(None, description="Username of a team member")
    status: str | None = Field(None, description="draft, in_review or decided")


class ProblemIn(ProblemFields):
    title: str


class ProblemPatch(ProblemFields):
    title: str | None = None


class PolicyCostOut(Schema):
    name: str
    tpr: float
    fpr: float
    cost_per_decision: float
    cost_per_month: float | None


class ProblemOut(ProblemFields):
    id: int
    title: str
    team: str
    created_at: datetime
    updated_at: datetime
    completeness_percent: int
    missing_fields: list[str]
    no_model_costs: list[PolicyCostOut] | None


class ProblemSummaryOut(Schema):
    id: int
    title: str
    task_type: str
    status: str
    owner: str | None
    completeness_percent: int
    updated_at: datetime


def _owner_username(problem: Problem) -> str | None:
    return problem.owner.username if problem.owner else None


def _out(problem: Problem) -> dict:
    done = completeness(problem)
    no_model = selectors.problem_no_model_costs(problem)
    data = {
        field: getattr(problem, field) for field in ProblemFields.model_fields if field != "owner"
    }
    return {
        **data,
        "id": problem.pk,
        "title": problem.title,
        "team": problem.team.slug,
        "owner": _owner_username(problem),
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "completeness_percent": done.percent,
        "missing_fields": [field for field, _ in done.missing],
        "no_model_costs": [p.to_dict() for p in no_model.policies] if no_model else None,
    }


def _resolve_owner(request: HttpRequest, values: dict) -> dict:
    """Owners are given by username; an unknown one is a field error, not a 500."""
    if values.get("owner"):
        owner = User.objects.filter(
            username=values["owner"], memberships__team=request.auth.team
        ).first()
        if owner is None:
            raise ValidationError({"owner": f"No team member is called “{values['owner']}”."})
        values["owner"] = owner
    return values


@router.get("/problems", response=responses(list[ProblemSummaryOut]), summary="The team's problems")
def problem_list(
    request: HttpRequest, q: str = "", status: str = "", task_type: str = ""
) -> list[dict]:
    problems = selectors.problem_list_for_team(
        request.auth.team, search=q, status=status, task_type=task_type
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "task_type": p.task_type,
            "status": p.status,
            "owner": _owner_username(p),
            "completeness_percent": completeness(p).percent,
            "updated_at": p.updated_at,
        }
        for p in problems
    ]


@router.post(
    "/problems", response=responses(ProblemOut, 403, status=201), summary="Create a problem"
)
def problem_create(request: HttpRequest, payload: ProblemIn) -> Status:
    values = _resolve_owner(request, payload.model_dump(exclude_unset=True))
    problem = services.problem_create(
        team=request.auth.team, user=request.auth.user, source=RevisionSource.API, **values
    )
    return Status(201, _out(problem))


@router.get(
    "/problems/{problem_id}", response=responses(ProblemOut, 404), summary="A problem definition"
)
def problem_get(request: HttpRequest, problem_id: int) -> dict:
    return _out(
        get_for_team_or_404(
            Problem.objects.select_related("owner", "team"), request.auth.team_id, pk=problem_id
        )
    )


@router.patch(
    "/problems/{problem_id}",
    response=responses(ProblemOut, 403, 404),
    summary="Change fields of a problem",
)
def problem_patch(request: HttpRequest, problem_id: int, payload: ProblemPatch) -> dict:
    problem = get_for_team_or_404(Problem.objects.all(), request.auth.team_id, pk=problem_id)
    changes = _resolve_owner(request, payload.model_dump(exclude_unset=True))
    services.problem_update(
        problem=problem, user=request.auth.user, source=RevisionSource.API, changes=changes
    )
    problem.refresh_from_db()
    return _out(problem)
