"""The team overview: every problem with its monitors (worst first) and checklist score,
recent runs and jobs in progress; the board refreshes itself through htmx polling."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.checklists.models import Checklist
from apps.checklists.selectors import checklist_summaries
from apps.core import selectors as job_selectors
from apps.monitors.selectors import problem_board
from apps.problems import selectors as problem_selectors
from apps.problems.models import Problem
from apps.problems.sections import completeness
from apps.runs.leaderboard import gate_summaries
from apps.runs.models import ModelRun

# How often the board asks for fresh states (tests shorten it).
POLL_SECONDS = 10
STATE_FILTERS = (
    ("", "All"),
    ("breach", "Breach"),
    ("warn", "Warning"),
    ("ok", "OK"),
    ("no_data", "No data"),
)
RUN_LIMIT = 6
# Problems beyond this many (breaches and warnings come first) are listed as one line
# each: 200 full cards would take most of a second to render.
CARD_LIMIT = 24
ML_TEST_SCORE = "ml_test_score"


def _ml_test_scores(problems: list[Problem]) -> dict[int, str]:
    """The ML Test Score of problems whose checklist exists (no checklist is created here)."""
    checklists = list(
        Checklist.objects.filter(problem__in=problems, key=ML_TEST_SCORE).select_related("template")
    )
    return {s.checklist.problem_id: s.score_text for s in checklist_summaries(checklists)}


def _board_context(request: AppRequest) -> dict:
    q = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    state = state if state in dict(STATE_FILTERS) else ""
    problems = list(problem_selectors.problem_list_for_team(request.team, search=q))
    cards = problem_board(problems, state=state, sparklines_for=CARD_LIMIT)
    scores = _ml_test_scores([card.problem for card in cards])
    gates = gate_summaries([card.problem for card in cards[:CARD_LIMIT]])
    for card in cards:
        card.gates = gates.get(card.problem.pk)
        card.completeness = completeness(card.problem).percent
        card.ml_test_score = scores.get(card.problem.pk)
        card.counts_text = " · ".join(f"{n} {s.replace('_', ' ')}" for s, n in card.counts.items())
    return {
        "cards": cards[:CARD_LIMIT],
        "more_cards": cards[CARD_LIMIT:],
        "q": q,
        "state": state,
        "state_filters": STATE_FILTERS,
        "poll_seconds": POLL_SECONDS,
        # Reversed once: {% url %} for each of ~400 links costs ~40 ms on a large board.
        "problem_base": reverse("problems:problem_detail", args=[0]).removesuffix("0/"),
        "monitor_base": reverse("monitors:monitor_detail", args=[0]).removesuffix("0/"),
        "has_problems": bool(problems) or bool(q),
        # Only what the list shows: a run row carries its whole evaluation (curves, sweep).
        "recent_runs": ModelRun.objects.filter(problem__team=request.team)
        .select_related("problem")
        .only("pk", "name", "created_at", "problem__title")
        .order_by("-created_at", "-id")[:RUN_LIMIT],
        "active_jobs": list(job_selectors.job_active_for_team(request.team)[:8]),
    }


@require_GET
@team_required
def home(request: AppRequest) -> HttpResponse:
    context = _board_context(request)
    if request.htmx and not request.htmx.boosted:
        return render(request, "dashboard/home.html#dashboard-board", context)
    context["recent_jobs"] = job_selectors.job_list_for_team(request.team, limit=8)
    return render(request, "dashboard/home.html", context)
