"""checklists:problem_panel — the problem page's lazily loaded card of its three checklists."""

from collections.abc import Callable

from django.test import Client

from apps.problems.models import Problem


def url(problem: Problem) -> str:
    return f"/checklists/problems/{problem.pk}/panel/"


def test_owner_gets_a_card_with_the_three_checklists(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.get(url(problem), headers={"HX-Request": "true"})
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div id="problem-checklists"')
    assert "<html" not in body
    for key, title in [
        ("is_ml_right", "Is ML the right solution?"),
        ("ml_test_score", "ML Test Score"),
        ("data_readiness", "Data readiness"),
    ]:
        assert f'href="/checklists/problems/{problem.pk}/{key}/"' in body
        assert title in body
    assert "0/28 answered" in body
    assert "Not started" in body


def test_the_panel_shows_progress_score_and_band(
    owner_client: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(
        problem,
        "ml_test_score",
        {"data_schema": "1", "model_slices": "1", "infra_rollback": "1", "monitor_compute": "1"},
    )
    body = owner_client.get(url(problem)).content.decode()
    assert "4/28 answered" in body
    assert "Serious gaps likely" in body  # final score 1


def test_the_problem_page_loads_the_panel_lazily(owner_client: Client, problem: Problem) -> None:
    body = owner_client.get(f"/problems/{problem.pk}/").content.decode()
    assert f'hx-get="/checklists/problems/{problem.pk}/panel/"' in body


def test_viewer_sees_the_panel(viewer_client: Client, problem: Problem) -> None:
    assert viewer_client.get(url(problem)).status_code == 200


def test_outsider_gets_404(outsider_client: Client, problem: Problem) -> None:
    assert outsider_client.get(url(problem)).status_code == 404
