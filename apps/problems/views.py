"""Problem pages: list, create, the hub page, the sectioned editor, and history."""

import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import team_required, write_required
from apps.accounts.http import AppRequest
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404
from apps.problems import charts, selectors, services
from apps.problems.forms import ProblemCreateForm, ProblemSectionForm, section_form_class
from apps.problems.models import Problem, ProblemStatus, RevisionSource, TaskType
from apps.problems.sections import SECTIONS, SECTIONS_BY_KEY, Section, completeness


def _get_problem_for_user(
    request: AppRequest, problem_id: int, *, for_write: bool = False
) -> Problem:
    return get_for_user_or_404(
        Problem.objects.select_related("owner", "team"),
        request.user,
        for_write=for_write,
        pk=problem_id,
    )


@require_GET
@team_required
def problem_list(request: AppRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "task_type": request.GET.get("task_type", ""),
    }
    problems = list(selectors.problem_list_for_team(request.team, **filters))
    rows = [(problem, completeness(problem)) for problem in problems]
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": ProblemStatus.choices,
        "task_types": TaskType.choices,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "problems/problem_list.html#problem-table", context)
    return render(request, "problems/problem_list.html", context)


@require_http_methods(["GET", "POST"])
@write_required
def problem_create(request: AppRequest) -> HttpResponse:
    form = ProblemCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(
                team=request.team, user=request.user, source=RevisionSource.WEB, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"“{problem.title}” created. Fill in each section below.")
            return redirect("problems:problem_edit", problem_id=problem.pk)
    return render(request, "problems/problem_create.html", {"form": form})


@require_GET
@team_required
def problem_detail(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id)
    no_model = selectors.problem_no_model_costs(problem)
    chart = None
    if no_model is not None:
        chart = figure_json(charts.no_model_cost_figure(no_model, problem.currency))
    context = {
        "problem": problem,
        "completeness": completeness(problem),
        "no_model": no_model,
        "no_model_chart": chart,
        "revisions": selectors.revision_list_for_problem(problem)[:6],
        "sections": SECTIONS,
    }
    return render(request, "problems/problem_detail.html", context)


def _section_context(
    problem: Problem, section: Section, form: ProblemSectionForm, saved: bool
) -> dict:
    return {"problem": problem, "section": section, "form": form, "saved": saved}


@require_GET
@team_required
def problem_edit(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id)
    blocks = [
        _section_context(
            problem,
            section,
            section_form_class(section.key)(instance=problem, team=problem.team),
            False,
        )
        for section in SECTIONS
    ]
    context = {"problem": problem, "blocks": blocks, "completeness": completeness(problem)}
    return render(request, "problems/problem_edit.html", context)


@require_POST
@team_required
def problem_section_save(request: AppRequest, problem_id: int, section_key: str) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    section = SECTIONS_BY_KEY.get(section_key)
    if section is None:
        raise Http404("No such section.")
    form = section_form_class(section.key)(
        request.POST, instance=Problem.objects.get(pk=problem.pk), team=problem.team
    )
    saved = False
    if form.is_valid():
        changes = {field: form.cleaned_data[field] for field in section.fields}
        try:
            services.problem_update(
                problem=problem, user=request.user, source=RevisionSource.WEB, changes=changes
            )
            saved = True
        except ValidationError as exc:
            form.add_service_errors(exc)
    if saved:
        form = section_form_class(section.key)(instance=problem, team=problem.team)
    context = {
        **_section_context(problem, section, form, saved),
        "completeness": completeness(problem),
    }
    if request.htmx:
        return render(
            request,
            "problems/problem_edit.html#section-saved",
            context,
            status=200 if saved else 422,
        )
    if saved:
        messages.success(request, f"{section.title} saved.")
        return redirect("problems:problem_edit", problem_id=problem.pk)
    blocks = [
        context
        if s.key == section.key
        else _section_context(
            problem, s, section_form_class(s.key)(instance=problem, team=problem.team), False
        )
        for s in SECTIONS
    ]
    return render(
        request,
        "problems/problem_edit.html",
        {"problem": problem, "blocks": blocks, "completeness": completeness(problem)},
        status=422,
    )


@require_GET
@team_required
def problem_history(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id)
    revisions = [
        (revision, _diff(revision.old_value, revision.new_value))
        for revision in selectors.revision_list_for_problem(problem)
    ]
    return render(
        request, "problems/problem_history.html", {"problem": problem, "revisions": revisions}
    )


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (kind, text) pairs: kind is 'same', 'removed' or 'added'."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return parts
