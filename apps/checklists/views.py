"""Checklist pages: one checklist with its answers, the problem page's panel, list scores."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import team_required, write_required
from apps.accounts.http import AppRequest
from apps.accounts.models import Membership
from apps.checklists import charts, selectors, services
from apps.checklists.forms import AnswerForm, CommentForm
from apps.checklists.models import Checklist, ChecklistItem
from apps.checklists.selectors import ChecklistSummary
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404, scope_to_user
from apps.problems.models import Problem
from mlcore.checklists import BANDS

MAX_SCORE_IDS = 200


def _get_problem_for_user(request: AppRequest, problem_id: int) -> Problem:
    return get_for_user_or_404(Problem.objects.select_related("team"), request.user, pk=problem_id)


def _get_checklist_for_user(request: AppRequest, problem_id: int, template_key: str) -> Checklist:
    problem = _get_problem_for_user(request, problem_id)
    try:
        return services.checklist_for_problem(problem=problem, key=template_key)
    except LookupError as exc:
        raise Http404(str(exc)) from exc


def _get_item(checklist: Checklist, item_key: str) -> ChecklistItem:
    item = ChecklistItem.objects.filter(template_id=checklist.template_id, key=item_key).first()
    if item is None:
        raise Http404("No such item in this checklist.")
    return item


def _can_write(request: AppRequest, problem: Problem) -> bool:
    """The user's role in the problem's team (which need not be the current team)."""
    if request.membership and request.membership.team_id == problem.team_id:
        return request.membership.can_write
    membership = Membership.objects.filter(user=request.user, team_id=problem.team_id).first()
    return membership is not None and membership.can_write


def _require_write(request: AppRequest, problem: Problem) -> None:
    if not _can_write(request, problem):
        raise PermissionDenied("Your role in this problem's team is read-only.")


def _page_context(request: AppRequest, summary: ChecklistSummary, **extra: object) -> dict:
    checklist = summary.checklist
    chart = figure_json(charts.ml_test_score_figure(summary.ml)) if summary.ml else None
    return {
        "problem": checklist.problem,
        "checklist": checklist,
        "template": summary.template,
        "summary": summary,
        "states": selectors.state_options(summary.template.scoring),
        "score_chart": chart,
        "bands": BANDS,
        "can_write": _can_write(request, checklist.problem),
        "siblings": services.checklists_ensure(problems=[checklist.problem]),
        **extra,
    }


@require_GET
@team_required
def checklist_detail(request: AppRequest, problem_id: int, template_key: str) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    services.answers_refresh_automatic(checklists=[checklist])
    context = _page_context(request, selectors.checklist_summary(checklist))
    if request.htmx and not request.htmx.boosted:
        return render(request, "checklists/checklist_detail.html#checklist-body", context)
    return render(request, "checklists/checklist_detail.html", context)


def _item_response(
    request: AppRequest,
    checklist: Checklist,
    item: ChecklistItem,
    *,
    message: str,
    answer_form: AnswerForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The item and the score for htmx; else a redirect, or the full page when invalid."""
    summary = selectors.checklist_summary(checklist)
    row = summary.row(item.key)
    form = answer_form or comment_form
    failed = bool(form is not None and form.errors)
    row.saved = not failed
    if answer_form is not None and answer_form.errors:
        row.draft = {name: answer_form.data.get(name, "") for name in answer_form.fields}
        row.errors = answer_form.errors
    if comment_form is not None and comment_form.errors:
        row.comment_draft = comment_form.data.get("text", "")
        row.comment_errors = comment_form.errors.get("text", [])
    context = _page_context(request, summary, row=row, section=summary.section_of(item.key))
    status = 422 if failed else 200
    if request.htmx:
        return render(
            request, "checklists/checklist_detail.html#item-saved", context, status=status
        )
    if failed:
        return render(request, "checklists/checklist_detail.html", context, status=status)
    messages.success(request, message)
    url = reverse("checklists:checklist_detail", args=[checklist.problem_id, checklist.key])
    return redirect(f"{url}#item-{item.key}")


@require_POST
@write_required
def answer_save(
    request: AppRequest, problem_id: int, template_key: str, item_key: str
) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    _require_write(request, checklist.problem)
    item = _get_item(checklist, item_key)
    if request.POST.get("revert") and item.auto:
        services.answer_revert_to_automatic(checklist=checklist, item=item)
        return _item_response(request, checklist, item, message="Preflight checks this item again.")
    form = AnswerForm(request.POST, scoring=checklist.template.scoring)
    if form.is_valid():
        try:
            services.answer_save(
                checklist=checklist, item=item, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
    return _item_response(request, checklist, item, message="Answer saved.", answer_form=form)


@require_POST
@write_required
def comment_create(
    request: AppRequest, problem_id: int, template_key: str, item_key: str
) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    _require_write(request, checklist.problem)
    item = _get_item(checklist, item_key)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                checklist=checklist, item=item, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages)
    return _item_response(request, checklist, item, message="Comment added.", comment_form=form)


@require_GET
@team_required
def problem_panel(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id)
    checklists = services.checklists_ensure(problems=[problem])
    services.answers_refresh_automatic(checklists=checklists)
    summaries = selectors.checklist_summaries(checklists)
    return render(
        request, "checklists/problem_panel.html", {"problem": problem, "summaries": summaries}
    )


def _ids(raw: str) -> list[int]:
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(ids))[:MAX_SCORE_IDS]


@require_GET
@team_required
def problem_scores(request: AppRequest) -> HttpResponse:
    """Out-of-band cells for the problem list: each visible problem's headline scores."""
    ids = _ids(request.GET.get("ids", ""))
    found = {p.pk: p for p in scope_to_user(Problem.objects.filter(pk__in=ids), request.user)}
    problems = [found[pk] for pk in ids if pk in found]
    checklists = services.checklists_ensure(problems=problems)
    # Cheap providers only: the list's cost must not grow with the number of problems.
    services.answers_refresh_automatic(checklists=checklists, querying_providers=False)
    by_problem: dict[int, list[ChecklistSummary]] = {problem.pk: [] for problem in problems}
    for summary in selectors.checklist_summaries(checklists):
        by_problem[summary.checklist.problem_id].append(summary)
    rows = [
        (
            problem,
            [s for s in by_problem[problem.pk] if s.checklist.key in selectors.LIST_HEADLINE_KEYS],
            by_problem[problem.pk],
        )
        for problem in problems
    ]
    return render(request, "checklists/problem_scores.html", {"rows": rows})
