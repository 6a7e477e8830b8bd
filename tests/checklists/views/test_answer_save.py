"""checklists:answer_save — answering one item, by htmx (item + OOB score) or a plain form."""

from collections.abc import Callable

from django.test import Client

from apps.checklists.models import Answer, AnswerSource
from apps.problems.models import Problem
from tests.checklists.conftest import HTMX, answer_url, checklist_url


def test_htmx_answer_returns_the_item_and_the_score_out_of_band(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(
        answer_url(problem, "is_ml_right", "start_small"),
        {"state": "yes", "evidence_text": "Pilot in one region", "evidence_url": ""},
        headers=HTMX,
    )
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div class="list-group-item pf-check-item" id="item-start_small"')
    assert "<html" not in body
    assert '<div id="checklist-score" class="card mb-3" hx-swap-oob="true">' in body
    assert 'id="section-sum-delivery"' in body
    assert 'id="saved-start_small"' in body
    answer = Answer.objects.get(item__key="start_small", checklist__problem=problem)
    assert answer.state == "yes"
    assert answer.evidence_text == "Pilot in one region"
    assert answer.source == AnswerSource.MANUAL
    assert answer.answered_by.username == "olivia"
    assert answer.answered_at is not None


def test_a_plain_post_saves_and_redirects_back_to_the_item(
    teammate_client: Client, problem: Problem
) -> None:
    response = teammate_client.post(
        answer_url(problem, "ml_test_score", "infra_rollback"),
        {"state": "0.5", "evidence_url": "https://runbooks.example.com/rollback"},
    )
    assert response.status_code == 302
    assert response["Location"] == checklist_url(problem, "ml_test_score") + "#item-infra_rollback"
    answer = Answer.objects.get(item__key="infra_rollback", checklist__problem=problem)
    assert (answer.state, answer.evidence_url) == ("0.5", "https://runbooks.example.com/rollback")
    assert answer.answered_by.username == "tariq"


def test_a_state_from_another_scoring_is_refused_and_nothing_is_saved(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(
        answer_url(problem, "ml_test_score", "data_schema"),
        {"state": "yes", "evidence_text": "kept in the draft"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "is not an answer to this checklist" in body
    assert 'value="kept in the draft"' in body
    assert not Answer.objects.filter(item__key="data_schema").exists()


def test_a_missing_state_is_refused_on_the_full_page_without_htmx(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(answer_url(problem, "is_ml_right", "start_small"), {})
    body = response.content.decode()
    assert response.status_code == 422
    assert "<html" in body
    assert "Choose an answer." in body
    assert not Answer.objects.filter(item__key="start_small").exists()


def test_a_bad_evidence_link_is_refused(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        answer_url(problem, "is_ml_right", "baselines"),
        {"state": "yes", "evidence_url": "javascript:alert(1)"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "full web address" in response.content.decode()
    assert not Answer.objects.filter(item__key="baselines").exists()


def test_answering_again_replaces_the_answer(
    owner_client: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(problem, "is_ml_right", {"start_small": "no"})
    owner_client.post(
        answer_url(problem, "is_ml_right", "start_small"), {"state": "partial"}, headers=HTMX
    )
    answers = Answer.objects.filter(item__key="start_small", checklist__problem=problem)
    assert [a.state for a in answers] == ["partial"]


def test_a_person_overrides_an_automatic_answer_and_can_hand_it_back(
    owner_client: Client, problem: Problem
) -> None:
    owner_client.get(checklist_url(problem))
    automatic = Answer.objects.get(item__key="error_costs", checklist__problem=problem)
    assert (automatic.source, automatic.state) == (AnswerSource.AUTOMATIC, "no")

    owner_client.post(
        answer_url(problem, "is_ml_right", "error_costs"),
        {"state": "yes", "evidence_text": "Finance signed off the costs"},
        headers=HTMX,
    )
    automatic.refresh_from_db()
    assert (automatic.source, automatic.state) == (AnswerSource.MANUAL, "yes")
    # A later page load keeps the person's answer.
    body = owner_client.get(checklist_url(problem)).content.decode()
    assert "overrides Preflight" in body
    automatic.refresh_from_db()
    assert automatic.state == "yes"

    response = owner_client.post(
        answer_url(problem, "is_ml_right", "error_costs"), {"revert": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    automatic.refresh_from_db()
    assert (automatic.source, automatic.state) == (AnswerSource.AUTOMATIC, "no")


def test_viewer_may_not_answer(viewer_client: Client, problem: Problem) -> None:
    response = viewer_client.post(
        answer_url(problem, "is_ml_right", "start_small"), {"state": "yes"}, headers=HTMX
    )
    assert response.status_code == 403
    assert not Answer.objects.filter(item__key="start_small").exists()


def test_a_viewer_of_the_problems_team_may_not_answer_from_another_team_they_own(
    viewer_client: Client, viewer, problem: Problem, other_team
) -> None:
    # Vera owns another team (her current team) but only views the problem's team.
    from apps.accounts.services import membership_set

    membership_set(team=other_team, user=viewer, role="owner")
    session = viewer_client.session
    session["current_team_id"] = other_team.pk
    session.save()
    response = viewer_client.post(
        answer_url(problem, "is_ml_right", "start_small"), {"state": "yes"}, headers=HTMX
    )
    assert response.status_code == 403
    assert not Answer.objects.filter(item__key="start_small").exists()


def test_outsider_gets_404(outsider_client: Client, problem: Problem) -> None:
    response = outsider_client.post(
        answer_url(problem, "is_ml_right", "start_small"), {"state": "yes"}, headers=HTMX
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_an_item_of_another_checklist_is_404(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        answer_url(problem, "is_ml_right", "data_schema"), {"state": "yes"}, headers=HTMX
    )
    assert response.status_code == 404


def test_get_is_not_allowed(owner_client: Client, problem: Problem) -> None:
    assert owner_client.get(answer_url(problem, "is_ml_right", "start_small")).status_code == 405
