"""dashboard:home — problem cards with monitor states, sparklines, filters, htmx refresh,
and a query count that does not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.monitors.models import Check, Monitor
from apps.problems.models import Problem
from apps.runs.models import ModelRun, RunStatus

EVALUATION = {"n": 10, "n_pos": 5, "n_neg": 5, "roc_auc": 0.8}


def seed(team: Team, user: User, *, problems: int, monitors: int, checks: int) -> list[Monitor]:
    """Problems, one run each, monitors with checks, written in bulk (no evaluation work)."""
    made = Problem.objects.bulk_create(
        Problem(team=team, title=f"Problem {i:03d}", task_type="binary") for i in range(problems)
    )
    runs = ModelRun.objects.bulk_create(
        ModelRun(problem=p, name=f"run {p.pk}", status=RunStatus.READY, evaluation=EVALUATION)
        for p in made
    )
    states = ["ok", "warn", "breach", "no_data"]
    mons = Monitor.objects.bulk_create(
        Monitor(
            problem=made[i % problems],
            target_run=runs[i % problems],
            name=f"Monitor {i}",
            metric="roc_auc",
            threshold=0.7,
            state=states[i % 4],
            last_value=0.5 + i % 5 / 10,
            recent=[[0.6 + k / 50, states[i % 4]] for k in range(5)],
        )
        for i in range(monitors)
    )
    now = timezone.now()
    Check.objects.bulk_create(
        Check(
            monitor=mons[i % monitors],
            trigger="schedule",
            state=states[i % 4],
            value=0.6 + (i % 7) / 20,
            created_at=now - timedelta(minutes=i),
        )
        for i in range(checks)
    )
    return mons


def count_queries(client: Client, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/", headers=headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_problems_monitors_and_checks(
    owner_client: Client, team: Team, owner: User
) -> None:
    seed(team, owner, problems=2, monitors=4, checks=20)
    small = (count_queries(owner_client), count_queries(owner_client, **{"HX-Request": "true"}))
    seed(team, owner, problems=30, monitors=120, checks=2000)
    large = (count_queries(owner_client), count_queries(owner_client, **{"HX-Request": "true"}))
    assert small == large


def test_breaches_come_first_with_a_red_card_and_a_sparkline(
    owner_client: Client, team: Team, owner: User
) -> None:
    monitors = seed(team, owner, problems=3, monitors=3, checks=30)
    body = owner_client.get("/").content.decode()
    breach_problem = monitors[2].problem_id
    first_card = body.index('id="problem-card-')
    assert body[first_card:].startswith(f'id="problem-card-{breach_problem}"')
    assert 'data-state="breach"' in body
    assert "<polyline points=" in body
    assert 'hx-trigger="every 10s"' in body


def test_filters_by_state_and_search(owner_client: Client, team: Team, owner: User) -> None:
    monitors = seed(team, owner, problems=3, monitors=3, checks=3)
    body = owner_client.get("/?state=warn").content.decode()
    assert f'id="problem-card-{monitors[1].problem_id}"' in body
    assert f'id="problem-card-{monitors[2].problem_id}"' not in body
    body = owner_client.get("/?q=Problem 002").content.decode()
    assert body.count('id="problem-card-') == 1
    body = owner_client.get("/?q=nothing-like-this").content.decode()
    assert "No problem matches these filters." in body


def test_htmx_poll_gets_only_the_board_with_its_filters(
    owner_client: Client, team: Team, owner: User
) -> None:
    seed(team, owner, problems=1, monitors=1, checks=1)
    body = owner_client.get("/?state=ok", headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div class="col-12" id="dashboard-board"')
    assert 'hx-get="/?state=ok"' in body
    assert "<html" not in body


def test_viewer_sees_the_board_and_outsider_sees_none_of_it(
    viewer_client: Client, outsider_client: Client, team: Team, owner: User
) -> None:
    seed(team, owner, problems=2, monitors=2, checks=2)
    assert 'id="problem-card-' in viewer_client.get("/").content.decode()
    assert 'id="problem-card-' not in outsider_client.get("/").content.decode()


def test_problems_beyond_the_card_limit_are_listed_one_line_each(
    owner_client: Client, team: Team, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.dashboard import views

    monkeypatch.setattr(views, "CARD_LIMIT", 2)
    seed(team, owner, problems=5, monitors=5, checks=5)
    body = owner_client.get("/").content.decode()
    assert body.count('id="problem-card-') == 2
    assert body.count('id="problem-row-') == 3
    assert "3 more problems" in body


def _gated_problem(team: Team, user: User, title: str, value: float) -> Problem:
    from apps.runs import leaderboard

    problem = Problem.objects.create(team=team, title=title, task_type="binary")
    leaderboard.gate_create(problem=problem, user=user, metric="roc_auc", threshold=0.8)
    ModelRun.objects.create(
        problem=problem,
        name=f"{title} model",
        task="binary",
        status=RunStatus.READY,
        evaluation={"roc_auc": value},
    )
    return problem


def test_cards_show_the_newest_runs_gate_status_at_a_constant_query_cost(
    owner_client: Client, team: Team, owner: User
) -> None:
    failing = _gated_problem(team, owner, "Churn", 0.7)
    small = count_queries(owner_client)
    for i in range(5):
        _gated_problem(team, owner, f"Fraud {i}", 0.9)
    body = owner_client.get("/").content.decode()
    card = body.split(f'id="problem-card-{failing.pk}"')[1].split('class="col-md-6')[0]
    assert 'data-gates="breach"' in card
    assert "Churn model" in card
    assert body.count('data-gates="ok"') == 5
    assert count_queries(owner_client) == small
