"""API v1 problem routes: same validation and history as the web, team-scoped."""

import json

from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.problems.models import Problem
from tests.conftest import api_client


def _post(client: Client, path: str, payload: dict):  # noqa: ANN202
    return client.post(path, json.dumps(payload), content_type="application/json")


def _patch(client: Client, path: str, payload: dict):  # noqa: ANN202
    return client.patch(path, json.dumps(payload), content_type="application/json")


def test_create_returns_201_with_completeness(owner_api: Client) -> None:
    response = _post(
        owner_api,
        "/api/v1/problems",
        {
            "title": "Churn",
            "task_type": "binary",
            "positive_label": "yes",
            "cost_fp": 2,
            "cost_fn": 30,
            "positive_rate": 0.1,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == "fraud"
    assert 0 < body["completeness_percent"] < 100
    assert "desired_outcome" in body["missing_fields"]
    assert [p["name"] for p in body["no_model_costs"]] == ["Always positive", "Always negative"]
    assert Problem.objects.get().revisions.get().source == "api"


def test_invalid_fields_come_back_as_field_errors_and_nothing_is_saved(owner_api: Client) -> None:
    response = _post(
        owner_api, "/api/v1/problems", {"title": "Churn", "task_type": "binary", "cost_fp": -5}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"cost_fp", "positive_label"} <= fields
    assert not Problem.objects.exists()


def test_a_wrongly_typed_field_is_a_422_naming_it(owner_api: Client) -> None:
    response = _post(owner_api, "/api/v1/problems", {"title": "X", "decisions_per_month": "lots"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "decisions_per_month"


def test_list_and_get_show_only_the_tokens_team(
    owner_api: Client, problem: Problem, foreign_problem: Problem
) -> None:
    listed = owner_api.get("/api/v1/problems").json()
    assert [p["id"] for p in listed] == [problem.pk]
    assert owner_api.get(f"/api/v1/problems/{problem.pk}").json()["title"] == problem.title
    response = owner_api.get(f"/api/v1/problems/{foreign_problem.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_patch_changes_only_given_fields_and_records_the_author(
    owner_api: Client, problem: Problem, owner: User
) -> None:
    response = _patch(owner_api, f"/api/v1/problems/{problem.pk}", {"decision": "Hold it"})
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.decision == "Hold it"
    assert problem.target_column == "is_fraud"
    revision = problem.revisions.get(field="decision")
    assert (revision.changed_by, revision.source) == (owner, "api")


def test_patch_owner_by_username_must_be_a_member(
    owner_api: Client, problem: Problem, teammate: User, outsider: User
) -> None:
    assert (
        _patch(owner_api, f"/api/v1/problems/{problem.pk}", {"owner": "tariq"}).status_code == 200
    )
    response = _patch(owner_api, f"/api/v1/problems/{problem.pk}", {"owner": "oscar"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"


def test_patching_another_teams_problem_is_404(owner_api: Client, foreign_problem: Problem) -> None:
    response = _patch(owner_api, f"/api/v1/problems/{foreign_problem.pk}", {"title": "pwned"})
    assert response.status_code == 404
    foreign_problem.refresh_from_db()
    assert foreign_problem.title == "Secret"


def test_a_read_only_token_cannot_create_or_patch(
    owner: User, team: Team, problem: Problem
) -> None:
    token = account_services.api_token_create(user=owner, team=team, name="ro", read_only=True)
    client = api_client(token.plaintext)
    assert _post(client, "/api/v1/problems", {"title": "X"}).status_code == 403
    assert _patch(client, f"/api/v1/problems/{problem.pk}", {"title": "X"}).status_code == 403
    assert client.get("/api/v1/problems").status_code == 200
