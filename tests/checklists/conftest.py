"""Checklist fixtures: loaded templates, problems in two teams, and answer helpers."""

from collections.abc import Callable

import pytest

from apps.accounts.models import Team, User
from apps.checklists import services
from apps.checklists.models import Checklist, ChecklistItem
from apps.problems import services as problem_services
from apps.problems.models import Problem, RevisionSource

HTMX = {"HX-Request": "true"}

# A fixed set of ML Test Score answers, summed by hand:
# data: 1 + 1 + 0.5 + 0.5 + 1 = 4 (two tests unanswered)
# model: 1 + 1 + 0 + 0.5 + 0.5 + 0 + 0 = 3
# infrastructure: 1 + 1 + 0.5 = 2.5
# monitoring: 1 + 0.5 + 0.5 + 0 = 2        → final = min(4, 3, 2.5, 2) = 2 → "first pass"
RUBRIC_ANSWERS = {
    "data_schema": "1",
    "data_features_useful": "1",
    "data_feature_cost": "0.5",
    "data_privacy": "0.5",
    "data_feature_code_tested": "1",
    "model_spec_reviewed": "1",
    "model_offline_online": "1",
    "model_hyperparameters": "0",
    "model_staleness": "0.5",
    "model_simpler_baseline": "0.5",
    "model_slices": "0",
    "model_inclusion": "0",
    "infra_reproducible": "1",
    "infra_spec_unit_tests": "1",
    "infra_rollback": "0.5",
    "monitor_dependencies": "1",
    "monitor_input_invariants": "0.5",
    "monitor_staleness": "0.5",
    "monitor_compute": "0",
}


@pytest.fixture(autouse=True)
def checklist_templates(db: None) -> None:
    """The data migration loads them; a flushed database (live_server tests) needs it again."""
    services.checklist_templates_sync()


@pytest.fixture
def problem(team: Team, owner: User) -> Problem:
    return problem_services.problem_create(
        team=team,
        user=owner,
        source=RevisionSource.WEB,
        title="Card fraud holds",
        task_type="binary",
        positive_label="fraud",
    )


@pytest.fixture
def foreign_problem(other_team: Team, outsider: User) -> Problem:
    return problem_services.problem_create(
        team=other_team,
        user=outsider,
        source=RevisionSource.WEB,
        title="Someone else's churn",
        task_type="binary",
        positive_label="churned",
    )


def checklist_url(problem: Problem, key: str = "is_ml_right") -> str:
    return f"/checklists/problems/{problem.pk}/{key}/"


def answer_url(problem: Problem, key: str, item: str) -> str:
    return f"{checklist_url(problem, key)}items/{item}/"


def comment_url(problem: Problem, key: str, item: str) -> str:
    return f"{answer_url(problem, key, item)}comments/"


@pytest.fixture
def answer_items(owner: User) -> Callable[..., Checklist]:
    """Answer many items of a problem's checklist at once through the service."""

    def answer(problem: Problem, key: str, states: dict[str, str], user: User = owner) -> Checklist:
        checklist = services.checklist_for_problem(problem=problem, key=key)
        items = {i.key: i for i in ChecklistItem.objects.filter(template=checklist.template)}
        for item_key, state in states.items():
            services.answer_save(checklist=checklist, item=items[item_key], user=user, state=state)
        return checklist

    return answer
