from django.test import Client

from apps.problems.models import Problem


def test_it_lists_the_teams_problems_with_completeness(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.get("/problems/")
    assert response.status_code == 200
    assert b"Card fraud screening" in response.content
    assert f'id="checklist-score-{problem.pk}"'.encode() in response.content


def test_it_hides_other_teams_problems(
    owner_client: Client, problem: Problem, foreign_problem: Problem
) -> None:
    assert b"Secret" not in owner_client.get("/problems/").content


def test_search_and_filters_narrow_the_list(owner_client: Client, problem: Problem) -> None:
    assert b"Card fraud" in owner_client.get("/problems/?q=fraud").content
    assert b"Card fraud" not in owner_client.get("/problems/?q=churn").content
    assert b"Card fraud" not in owner_client.get("/problems/?status=decided").content
    assert b"Card fraud" in owner_client.get("/problems/?task_type=binary").content


def test_htmx_search_returns_only_the_table(owner_client: Client, problem: Problem) -> None:
    response = owner_client.get("/problems/?q=fraud", headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="problem-table"')
    assert b"<html" not in response.content


def test_an_empty_team_is_invited_to_define_a_problem(owner_client: Client) -> None:
    assert b"Define your first problem" in owner_client.get("/problems/").content


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get("/problems/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
