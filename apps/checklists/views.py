"""Checklist pages: one checklist with its answers, the problem page's panel, list scores."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import team_required, write_required
from apps.accounts.http import AppRequest
from apps.checklists import charts, selectors, services
from apps.checklists.forms import AnswerForm, CommentForm
from apps.checklists.models import Checklist, ChecklistItem
from apps.checklists.selectors import ChecklistSummary
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404, scope_to_user
from apps.problems.models import Problem

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


def _page_context(summary: ChecklistSummary, **extra: object) -> dict:
    checklist = summary.checklist
    chart = figure_json(charts.ml_test_score_figure(summary.ml)) if summary.ml else None
    return {
        "problem": checklist.problem,
        "checklist": checklist,
        "template": summary.template,
        "summary": summary,
        "states": selectors.state_options(summary.template.scoring),
        "score_chart": chart,
        "siblings": services.checklists_ensure(problems=[checklist.problem]),
        **extra,
    }


@require_GET
@team_required
def checklist_detail(request: AppRequest, problem_id: int, template_key: str) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    services.answers_refresh_automatic(checklists=[checklist])
    context = _page_context(selectors.checklist_summary(checklist))
    if request.htmx and not request.htmx.boosted:
        return render(request, "checklists/checklist_detail.html#checklist-body", context)
    return render(request, "checklists/checklist_detail.html", context)


def _item_response(
    request: AppRequest, checklist: Checklist, item: ChecklistItem, *, saved: bool, **forms: object
) -> HttpResponse:
    """The item and the score for htmx; a redirect or the full page (422) otherwise."""
    summary = selectors.checklist_summary(checklist)
    context = _page_context(
        summary,
        row=summary.row(item.key),
        section=summary.section_of(item.key),
        saved_item=item.key if saved else "",
        errors_for=item.key,
        **forms,
    )
    status = 200 if saved else 422
    if request.htmx:
        return render(request, "checklists/checklist_detail.html#item-saved", context, status=status)
    if saved:
        messages.success(request, "Saved.")
        url = reverse("checklists:checklist_detail", args=[checklist.problem_id, checklist.key])
        return redirect(f"{url}#item-{item.key}")
    return render(request, "checklists/checklist_detail.html", context, status=status)


@require_POST
@write_required
def answer_save(
    request: AppRequest, problem_id: int, template_key: str, item_key: str
) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    item = _get_item(checklist, item_key)
    if request.POST.get("revert") and item.auto:
        services.answer_revert_to_automatic(checklist=checklist, item=item)
        return _item_response(request, checklist, item, saved=True)
    form = AnswerForm(request.POST, scoring=checklist.template.scoring)
    if form.is_valid():
        try:
            services.answer_save(checklist=checklist, item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    saved = form.is_bound and not form.errors
    return _item_response(request, checklist, item, saved=saved, answer_form=None if saved else form)


@require_POST
@write_required
def comment_create(
    request: AppRequest, problem_id: int, template_key: str, item_key: str
) -> HttpResponse:
    checklist = _get_checklist_for_user(request, problem_id, template_key)
    item = _get_item(checklist, item_key)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                checklist=checklist, item=item, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages)
    saved = not form.errors
    return _item_response(request, checklist, item, saved=saved, comment_form=None if saved else form)


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
    services.answers_refresh_automatic(checklists=checklists)
    by_problem: dict[int, list[ChecklistSummary]] = {problem.pk: [] for problem in problems}
    for summary in selectors.checklist_summaries(checklists):
        by_problem[summary.checklist.problem_id].append(summary)
    rows = [(problem, by_problem[problem.pk]) for problem in problems]
    return render(request, "checklists/problem_scores.html", {"rows": rows})
