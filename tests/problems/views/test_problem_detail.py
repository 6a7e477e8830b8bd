from django.test import Client

from apps.accounts.models import User
from apps.problems import services
from apps.problems.models import Problem
from tests.problems.conftest import FULL_DEFINITION


def test_the_page_shows_the_definition_and_the_cost_of_not_using_ml(
    owner_client: Client, problem: Problem, owner: User
) -> None:
    services.problem_update(problem=problem, user=owner, source="web", changes=FULL_DEFINITION)
    response = owner_client.get(f"/problems/{problem.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The cost of not using ML" in body
    assert "Existing solution" in body
    assert "cheapest" in body
    assert 'id="no-model-chart"' in body
    assert "100%" in body


def test_without_costs_it_says_what_to_fill_in(owner_client: Client, problem: Problem) -> None:
    body = owner_client.get(f"/problems/{problem.pk}/").content.decode()
    assert "Add the cost of a false positive" in body


def test_a_teammate_sees_it(teammate_client: Client, problem: Problem) -> None:
    assert teammate_client.get(f"/problems/{problem.pk}/").status_code == 200


def test_an_outsider_gets_404_on_every_page(outsider_client: Client, problem: Problem) -> None:
    for path in ("", "edit/", "history/"):
        assert outsider_client.get(f"/problems/{problem.pk}/{path}").status_code == 404
    response = outsider_client.post(f"/problems/{problem.pk}/edit/overview/", {"title": "pwned"})
    assert response.status_code == 404
    problem.refresh_from_db()
    assert problem.title == "Card fraud screening"
