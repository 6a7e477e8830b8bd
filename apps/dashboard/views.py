"""The team overview."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.core import selectors as job_selectors
from apps.problems import selectors as problem_selectors
from apps.problems.sections import completeness


@require_GET
@team_required
def home(request: AppRequest) -> HttpResponse:
    problems = list(problem_selectors.problem_list_for_team(request.team)[:8])
    context = {
        "recent_jobs": job_selectors.job_list_for_team(request.team, limit=8),
        "problem_rows": [(problem, completeness(problem)) for problem in problems],
    }
    return render(request, "dashboard/home.html", context)
