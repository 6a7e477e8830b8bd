"""Automatic answers: items Preflight checks from the problem definition, with evidence."""

from decimal import Decimal

import pytest
from django.test import Client

from apps.checklists import providers, services
from apps.checklists.models import STATES, Answer, AnswerSource, ChecklistItem
from apps.checklists.providers import Evidence, evidence_for, evidence_provider, provider_keys
from apps.problems import services as problem_services
from apps.problems.models import Problem, RevisionSource
from tests.checklists.conftest import checklist_url


def define(problem: Problem, owner, **changes: object) -> None:
    problem_services.problem_update(
        problem=problem, user=owner, source=RevisionSource.WEB, changes=changes
    )


def answer(problem: Problem, item_key: str) -> Answer:
    return Answer.objects.get(checklist__problem=problem, item__key=item_key)


def test_filling_in_the_costs_turns_costs_recorded_to_yes_with_evidence(
    owner_client: Client, problem: Problem, owner
) -> None:
    owner_client.get(checklist_url(problem))
    assert answer(problem, "error_costs").state == "no"

    define(problem, owner, cost_fp=Decimal("4"), cost_fn=Decimal("120"), currency="EUR")
    body = owner_client.get(checklist_url(problem)).content.decode()

    costs = answer(problem, "error_costs")
    assert costs.state == "yes"
    assert costs.source == AnswerSource.AUTOMATIC
    assert costs.answered_by is None
    assert costs.evidence_text == "A false positive costs 4.00 EUR, a false negative 120.00 EUR."
    assert costs.evidence_url == f"/problems/{problem.pk}/edit/#section-costs"
    assert "automatic" in body
    assert f'href="/problems/{problem.pk}/edit/#section-costs"' in body


def test_one_cost_is_partly_recorded(problem: Problem, owner) -> None:
    define(problem, owner, cost_fn=Decimal("50"))
    evidence = evidence_for("costs_recorded", problem)
    assert evidence.state == "partial"
    assert "false positive" in evidence.text


def test_costs_are_left_to_people_for_regression_problems(problem: Problem, owner) -> None:
    define(problem, owner, task_type="regression", positive_label="")
    assert evidence_for("costs_recorded", problem) is None


def test_the_existing_solution_is_yes_only_once_it_is_measured(problem: Problem, owner) -> None:
    assert evidence_for("existing_solution", problem).state == "no"
    define(problem, owner, existing_solution="Forty hand-written rules")
    assert evidence_for("existing_solution", problem).state == "partial"
    define(problem, owner, existing_tpr=0.55, existing_fpr=0.03)
    evidence = evidence_for("existing_solution", problem)
    assert evidence.state == "yes"
    assert "55%" in evidence.text
    assert "3%" in evidence.text


def test_the_problem_is_defined_when_overview_and_decision_are_complete(
    problem: Problem, owner
) -> None:
    assert evidence_for("problem_defined", problem).state == "no"
    define(problem, owner, summary="Hold risky payments", desired_outcome="Halve chargebacks")
    partial = evidence_for("problem_defined", problem)
    assert partial.state == "partial"
    assert partial.url.endswith("#section-decision")
    define(problem, owner, decision="Hold for review", affected_users="Card holders")
    assert evidence_for("problem_defined", problem).state == "yes"


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, "no"),
        ({"primary_metric": "pr_auc"}, "partial"),
        ({"primary_metric": "pr_auc", "metric_rationale": "Fraud is rare"}, "yes"),
    ],
)
def test_the_metric_needs_a_reason(problem: Problem, owner, changes: dict, state: str) -> None:
    if changes:
        define(problem, owner, **changes)
    assert evidence_for("metric_chosen", problem).state == state


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, "no"),
        ({"fallback_kind": "none"}, "no"),
        ({"fallback_kind": "human_review"}, "partial"),
        ({"fallback_kind": "human_review", "fallback_description": "Analysts, 2 h"}, "yes"),
    ],
)
def test_a_fallback_must_be_chosen_and_described(
    problem: Problem, owner, changes: dict, state: str
) -> None:
    if changes:
        define(problem, owner, **changes)
    assert evidence_for("fallback_planned", problem).state == state


def test_the_data_providers_read_the_data_section(problem: Problem, owner) -> None:
    assert evidence_for("label_availability_known", problem).state == "no"
    assert evidence_for("data_sources_described", problem).state == "no"
    assert evidence_for("critical_segments_named", problem).state == "no"
    define(
        problem,
        owner,
        label_availability="Chargebacks within 60 days",
        data_sources="Payments ledger",
        critical_segments="new customers\ncountry = DE",
    )
    assert evidence_for("label_availability_known", problem).state == "yes"
    assert evidence_for("data_sources_described", problem).state == "yes"
    segments = evidence_for("critical_segments_named", problem)
    assert segments.state == "partial"
    assert "new customers, country = DE" in segments.text


def test_a_described_mvp_is_partly_done_until_someone_says_it_ran(problem: Problem, owner) -> None:
    define(problem, owner, non_ml_mvp="Velocity rules")
    assert evidence_for("non_ml_mvp", problem).state == "partial"


def test_every_provider_answers_with_a_state_its_checklists_accept(problem: Problem, owner) -> None:
    define(
        problem,
        owner,
        summary="s", desired_outcome="o", decision="d", affected_users="u",
        primary_metric="f1", metric_rationale="r", cost_fp=Decimal(1), cost_fn=Decimal(2),
        existing_solution="e", non_ml_mvp="m", fallback_kind="default_action",
        critical_segments="a", label_availability="l", data_sources="s",
    )  # fmt: skip
    empty = Problem.objects.create(team=problem.team, title="Empty", task_type="binary")
    for item in ChecklistItem.objects.exclude(auto=""):
        allowed = [value for value, *_ in STATES[item.template.scoring]]
        for p in (problem, empty):
            evidence = evidence_for(item.auto, p)
            assert evidence is None or evidence.state in allowed, (item.auto, evidence)


def test_refreshing_writes_nothing_when_nothing_changed(problem: Problem) -> None:
    checklists = services.checklists_ensure(problems=[problem])
    assert services.answers_refresh_automatic(checklists=checklists) > 0
    assert services.answers_refresh_automatic(checklists=checklists) == 0


def test_an_automatic_answer_that_loses_its_evidence_is_cleared_but_keeps_comments(
    problem: Problem, owner
) -> None:
    define(problem, owner, task_type="binary", cost_fp=Decimal(1), cost_fn=Decimal(1))
    checklist = services.checklist_for_problem(problem=problem, key="is_ml_right")
    services.answers_refresh_automatic(checklists=[checklist])
    item = ChecklistItem.objects.get(template=checklist.template, key="error_costs")
    services.comment_create(checklist=checklist, item=item, user=owner, text="Costs from finance")
    define(problem, owner, task_type="regression", positive_label="", primary_metric="")
    services.answers_refresh_automatic(checklists=[checklist])
    cleared = answer(problem, "error_costs")
    assert (cleared.state, cleared.evidence_text, cleared.answered_at) == ("", "", None)
    assert cleared.comments.count() == 1


def test_later_apps_can_register_their_own_providers(problem: Problem) -> None:
    @evidence_provider("test_only_baseline_exists")
    def baseline_exists(p: Problem) -> Evidence:
        return Evidence("yes", f"A baseline exists for {p.title}.", "/runs/")

    try:
        assert "test_only_baseline_exists" in provider_keys()
        assert evidence_for("test_only_baseline_exists", problem).text.endswith("Card fraud holds.")
        with pytest.raises(ValueError, match="already registered"):
            evidence_provider("test_only_baseline_exists")(lambda p: None)
    finally:
        providers._PROVIDERS.pop("test_only_baseline_exists")


def test_an_unknown_provider_gives_no_evidence(problem: Problem) -> None:
    assert evidence_for("nobody", problem) is None


def test_a_person_answering_during_a_refresh_keeps_their_answer(
    problem: Problem, owner, monkeypatch: pytest.MonkeyPatch
) -> None:
    checklist = services.checklist_for_problem(problem=problem, key="is_ml_right")
    services.answers_refresh_automatic(checklists=[checklist])
    item = ChecklistItem.objects.get(template=checklist.template, key="error_costs")
    real = services.evidence_for

    def racing(key: str, p: Problem) -> Evidence | None:
        if key == "costs_recorded":
            # Someone saves an answer between the refresh's read and its write.
            services.answer_save(checklist=checklist, item=item, user=owner, state="yes")
            return Evidence("partial", "The cost of a false negative is still missing.")
        return real(key, p)

    monkeypatch.setattr(services, "evidence_for", racing)
    services.answers_refresh_automatic(checklists=[checklist])
    costs = answer(problem, "error_costs")
    assert (costs.source, costs.state, costs.answered_by) == (AnswerSource.MANUAL, "yes", owner)
