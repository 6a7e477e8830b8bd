"""`manage.py seed_demo`: the local demo login, only where the demo is allowed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from apps.accounts.models import Membership, Role, Team, User


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_owner_and_is_idempotent(db: None) -> None:
    assert "demo" in seed()
    seed()

    user = User.objects.get(username="demo")
    team = Team.objects.get(slug="demo")
    assert User.objects.filter(username="demo").count() == 1
    assert Team.objects.filter(slug="demo").count() == 1
    assert Membership.objects.get(user=user, team=team).role == Role.OWNER
    assert user.check_password("demo")
    client = Client()
    assert client.login(username="demo", password="demo")
    assert client.get("/").status_code == 200


def test_seed_demo_restores_the_owner_role(db: None) -> None:
    seed()
    Membership.objects.filter(user__username="demo").update(role=Role.VIEWER)
    seed()
    assert Membership.objects.get(user__username="demo").role == Role.OWNER


def test_seed_demo_refuses_when_the_demo_is_not_allowed(db: None, settings: object) -> None:
    settings.PREFLIGHT_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="PREFLIGHT_ALLOW_DEMO"):
        seed()
    assert not User.objects.filter(username="demo").exists()
    assert not Team.objects.filter(slug="demo").exists()


def test_seed_demo_adds_one_complete_problem_with_costs(db: None) -> None:
    from apps.problems.models import Problem
    from apps.problems.sections import completeness

    seed()
    seed()
    problem = Problem.objects.get(team__slug="demo")
    assert completeness(problem).percent == 100
    client = Client()
    client.login(username="demo", password="demo")
    body = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "The cost of not using ML" in body
    assert "cheapest" in body


def test_seed_demo_adds_an_evaluated_run_on_the_test_split(db: None) -> None:
    from apps.runs.models import ModelRun

    seed()
    seed()
    run = ModelRun.objects.get(problem__team__slug="demo", kind="uploaded")
    assert run.status == "ready"
    assert run.dataset_version.role == "test"
    # Looked at twice, once each by the uploaded run and by the baseline ladder.
    assert run.dataset_version.evaluation_count == 2
    assert run.evaluation["roc_auc"] > 0.95


def test_seed_demo_trains_the_ladder_once_for_a_full_leaderboard(db: None) -> None:
    from apps.problems.models import Problem
    from apps.runs import leaderboard
    from apps.runs.models import ModelRun

    seed()
    seed()
    baselines = ModelRun.objects.filter(kind="baseline")
    assert sorted(baselines.values_list("baseline_key", flat=True)) == sorted(
        ["dummy", "one_rule", "linear", "gradient_boosting", "automl"]
    )
    assert all(run.status == "ready" for run in baselines)
    assert ModelRun.objects.filter(kind="external").count() == 1
    problem = Problem.objects.get(team__slug="demo")
    assert problem.gates.count() == 2
    board = leaderboard.leaderboard(problem)
    assert board["reference"] is not None
    assert len(board["entries"]) == 7


def test_seed_demo_adds_monitors_with_a_weekly_history_that_ends_in_a_breach(db: None) -> None:
    from apps.monitors.models import Check, Monitor

    seed()
    seed()
    monitors = {m.name: m for m in Monitor.objects.all()}
    assert set(monitors) == {"ROC AUC floor", "Value floor"}
    auc = monitors["ROC AUC floor"]
    states = list(
        Check.objects.filter(monitor=auc, trigger="batch")
        .order_by("created_at", "id")
        .values_list("state", flat=True)
    )
    assert len(states) == 4
    assert states[0] == "ok"
    assert states[-1] == "breach"
    assert auc.state == "breach"
