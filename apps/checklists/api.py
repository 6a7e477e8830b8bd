"""API v1: a problem's checklists, their scores, and each item's answer with its evidence."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from apps.checklists import selectors, services
from apps.checklists.models import state_points
from apps.checklists.selectors import ChecklistSummary, ItemRow
from apps.core.api import responses
from apps.core.scoping import get_for_team_or_404
from apps.problems.models import Problem

router = Router(tags=["checklists"])


class BandOut(Schema):
    key: str
    title: str
    description: str
    range_text: str


class SectionOut(Schema):
    key: str
    title: str
    points: float
    max_points: int


class ChecklistSummaryOut(Schema):
    template_key: str
    version: int
    title: str
    scoring: str = Field(description="yes_no or ml_test_score")
    item_count: int
    answered: int
    score: float = Field(
        description="ML Test Score: the final score (lowest section sum). "
        "Yes/no: points (yes 1, partly 0.5) over the applicable items."
    )
    max_score: float
    share: float | None = Field(None, description="Yes/no only: score / max_score")
    section_sums: dict[str, float]
    sections: list[SectionOut]
    band: BandOut | None = Field(None, description="ML Test Score only")


class CommentOut(Schema):
    author: str | None
    text: str
    created_at: datetime


class ItemOut(Schema):
    key: str
    section: str
    text: str
    help: str
    automatic_check: str | None = Field(None, description="The evidence provider, if any")
    state: str | None = Field(None, description="None until answered")
    points: float | None
    source: str | None = Field(None, description="manual or automatic")
    evidence_text: str
    evidence_url: str
    answered_by: str | None
    answered_at: datetime | None
    comments: list[CommentOut]


class ChecklistOut(ChecklistSummaryOut):
    items: list[ItemOut]


def _summary_out(summary: ChecklistSummary) -> dict:
    template = summary.template
    band = summary.ml.band if summary.ml is not None else None
    return {
        "template_key": template.key,
        "version": template.version,
        "title": template.title,
        "scoring": template.scoring,
        "item_count": summary.total,
        "answered": summary.answered,
        "score": summary.score,
        "max_score": summary.max_score,
        "share": summary.yes_no.share if summary.yes_no is not None else None,
        "section_sums": summary.section_sums,
        "sections": [
            {"key": s.key, "title": s.title, "points": s.points, "max_points": s.max_points}
            for s in summary.sections
        ],
        "band": band.to_dict() if band is not None else None,
    }


def _item_out(row: ItemRow, scoring: str) -> dict:
    answer = row.answer
    return {
        "key": row.item.key,
        "section": row.item.section,
        "text": row.item.text,
        "help": row.item.help,
        "automatic_check": row.item.auto or None,
        "state": row.state or None,
        "points": state_points(scoring, row.state),
        "source": answer.source if answer else None,
        "evidence_text": answer.evidence_text if answer else "",
        "evidence_url": answer.evidence_url if answer else "",
        "answered_by": answer.answered_by.username if answer and answer.answered_by else None,
        "answered_at": answer.answered_at if answer else None,
        "comments": [
            {
                "author": c.author.username if c.author else None,
                "text": c.text,
                "created_at": c.created_at,
            }
            for c in row.comments
        ],
    }


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    return get_for_team_or_404(Problem.objects.all(), request.auth.team_id, pk=problem_id)


@router.get(
    "/problems/{problem_id}/checklists",
    response=responses(list[ChecklistSummaryOut], 404),
    summary="A problem's checklists with their scores",
)
def checklist_list(request: HttpRequest, problem_id: int) -> list[dict]:
    checklists = services.checklists_ensure(problems=[_problem(request, problem_id)])
    services.answers_refresh_automatic(checklists=checklists)
    return [_summary_out(summary) for summary in selectors.checklist_summaries(checklists)]


@router.get(
    "/problems/{problem_id}/checklists/{template_key}",
    response=responses(ChecklistOut, 404),
    summary="One checklist: every item with its answer, evidence and comments",
)
def checklist_get(request: HttpRequest, problem_id: int, template_key: str) -> dict:
    problem = _problem(request, problem_id)
    try:
        checklist = services.checklist_for_problem(problem=problem, key=template_key)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    services.answers_refresh_automatic(checklists=[checklist])
    summary = selectors.checklist_summary(checklist)
    scoring = summary.template.scoring
    return {
        **_summary_out(summary),
        "items": [_item_out(row, scoring) for s in summary.sections for row in s.rows],
    }
