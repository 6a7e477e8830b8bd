"""Creating and changing problem definitions: validation, revisions, completeness, costs."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Team, User
from apps.problems import selectors, services
from apps.problems.models import Problem, ProblemRevision
from apps.problems.sections import completeness
from tests.problems.conftest import FULL_DEFINITION


def test_creating_a_problem_records_who_created_it(problem: Problem, owner: User) -> None:
    revision = problem.revisions.get()
    assert revision.field == "created"
    assert revision.changed_by == owner
    assert problem.owner == owner
    assert problem.status == "draft"


def test_a_binary_problem_needs_a_positive_label(team: Team, owner: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.problem_create(team=team, user=owner, source="web", title="X", task_type="binary")
    assert "positive_label" in exc.value.message_dict
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cost_fp": -1}, "cost_fp"),
        ({"cost_fn": -0.01}, "cost_fn"),
        ({"positive_rate": 1.5}, "positive_rate"),
        ({"existing_tpr": 0.5}, "existing_fpr"),
        ({"existing_tpr": 2, "existing_fpr": 0.1}, "existing_tpr"),
        ({"currency": "euro"}, "currency"),
        ({"primary_metric": "rmse"}, "primary_metric"),
        ({"task_type": "ranking"}, "task_type"),
        ({"status": "shipped"}, "status"),
        ({"title": "   "}, "title"),
        ({"positive_label": ""}, "positive_label"),
    ],
)
def test_invalid_changes_name_the_field_and_save_nothing(
    problem: Problem, owner: User, changes: dict, field: str
) -> None:
    before = Problem.objects.values().get(pk=problem.pk)
    with pytest.raises(ValidationError) as exc:
        services.problem_update(problem=problem, user=owner, source="web", changes=changes)
    assert field in exc.value.message_dict
    assert Problem.objects.values().get(pk=problem.pk) == before
    assert problem.revisions.count() == 1


def test_the_owner_must_belong_to_the_team(problem: Problem, owner: User, outsider: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.problem_update(
            problem=problem, user=owner, source="web", changes={"owner": outsider}
        )
    assert "owner" in exc.value.message_dict


def test_each_changed_field_gets_one_revision_with_old_and_new(
    problem: Problem, owner: User
) -> None:
    services.problem_update(
        problem=problem,
        user=owner,
        source="api",
        changes={"cost_fp": 4, "title": "Card fraud screening", "decision": "Hold it"},
    )
    revisions = {r.field: r for r in ProblemRevision.objects.filter(problem=problem)}
    assert set(revisions) == {"created", "cost_fp", "decision"}  # the unchanged title is skipped
    assert revisions["cost_fp"].old_value == ""
    assert revisions["cost_fp"].new_value == "4"
    assert revisions["decision"].source == "api"


def test_completeness_names_what_is_missing_and_reaches_100(problem: Problem, owner: User) -> None:
    first = completeness(problem)
    assert 0 < first.percent < 100
    assert ("cost_fp", "Cost of a false positive") in first.missing
    services.problem_update(problem=problem, user=owner, source="web", changes=FULL_DEFINITION)
    problem.refresh_from_db()
    done = completeness(problem)
    assert done.missing == []
    assert done.percent == 100


def test_a_human_review_fallback_needs_its_capacity(problem: Problem, owner: User) -> None:
    changes = {**FULL_DEFINITION, "fallback_capacity_per_month": None}
    services.problem_update(problem=problem, user=owner, source="web", changes=changes)
    problem.refresh_from_db()
    assert [f for f, _ in completeness(problem).missing] == ["fallback_capacity_per_month"]


def test_the_cost_of_not_using_ml_matches_a_hand_calculation(problem: Problem, owner: User) -> None:
    services.problem_update(problem=problem, user=owner, source="web", changes=FULL_DEFINITION)
    problem.refresh_from_db()
    costs = {p.name: p for p in selectors.problem_no_model_costs(problem).policies}
    # always positive: 98 % of cases are false positives at 4
    assert costs["Always positive"].cost_per_decision == pytest.approx(0.98 * 4)
    # always negative: 2 % of cases are missed frauds at 120
    assert costs["Always negative"].cost_per_decision == pytest.approx(0.02 * 120)
    # existing: misses 45 % of the 2 % and flags 3 % of the 98 %
    existing = 0.02 * 0.45 * 120 + 0.98 * 0.03 * 4
    assert costs["Existing solution"].cost_per_decision == pytest.approx(existing)
    assert costs["Existing solution"].cost_per_month == pytest.approx(existing * 200000)


def test_no_cost_comparison_without_costs(problem: Problem) -> None:
    assert selectors.problem_no_model_costs(problem) is None
