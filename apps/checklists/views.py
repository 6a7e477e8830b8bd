"""Checklist pages (skeleton: filled in by the checklists work)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.core.scoping import get_for_user_or_404
from apps.problems.models import Problem


@require_GET
@team_required
def problem_panel(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = get_for_user_or_404(Problem.objects.all(), request.user, pk=problem_id)
    return render(request, "checklists/problem_panel.html", {"problem": problem})


@require_GET
@team_required
def problem_scores(request: AppRequest) -> HttpResponse:
    return HttpResponse("")
