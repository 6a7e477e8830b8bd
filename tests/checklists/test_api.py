"""API v1: GET /problems/{id}/checklists and /problems/{id}/checklists/{template_key}."""

import json
from collections.abc import Callable
from decimal import Decimal

from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.problems import services as problem_services
from apps.problems.models import Problem
from tests.checklists.conftest import RUBRIC_ANSWERS as ANSWERS
from tests.conftest import api_client


def list_url(problem: Problem) -> str:
    return f"/api/v1/problems/{problem.pk}/checklists"


def test_it_lists_each_checklist_with_version_score_section_sums_and_band(
    owner_api: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(problem, "ml_test_score", ANSWERS)
    response = owner_api.get(list_url(problem))
    assert response.status_code == 200
    checklists = {c["template_key"]: c for c in response.json()}
    assert list(checklists) == ["is_ml_right", "ml_test_score", "data_readiness"]
    rubric = checklists["ml_test_score"]
    assert rubric["version"] == 1
    assert rubric["scoring"] == "ml_test_score"
    assert rubric["score"] == 2.0
    assert rubric["max_score"] == 7.0
    assert rubric["section_sums"] == {
        "data": 4.0,
        "model": 3.0,
        "infrastructure": 2.5,
        "monitoring": 2.0,
    }
    assert rubric["band"]["key"] == "first_pass"
    assert rubric["band"]["range_text"] == "above 1, up to 2"
    assert (rubric["item_count"], rubric["answered"]) == (28, 19)
    is_ml = checklists["is_ml_right"]
    assert is_ml["band"] is None
    assert is_ml["max_score"] == 12.0
    assert is_ml["share"] == 0.0


def test_it_returns_one_checklist_with_items_answers_and_evidence(
    owner_api: Client, problem: Problem, owner: User, answer_items: Callable
) -> None:
    problem_services.problem_update(
        problem=problem,
        user=owner,
        source="api",
        changes={"cost_fp": Decimal("4"), "cost_fn": Decimal("120")},
    )
    answer_items(problem, "is_ml_right", {"start_small": "partial"})
    response = owner_api.get(f"{list_url(problem)}/is_ml_right")
    assert response.status_code == 200
    data = response.json()
    assert data["template_key"] == "is_ml_right"
    items = {item["key"]: item for item in data["items"]}
    assert len(items) == 12
    costs = items["error_costs"]
    assert costs["state"] == "yes"
    assert costs["points"] == 1.0
    assert costs["source"] == "automatic"
    assert costs["automatic_check"] == "costs_recorded"
    assert costs["evidence_url"] == f"/problems/{problem.pk}/edit/#section-costs"
    assert "120.00" in costs["evidence_text"]
    small = items["start_small"]
    assert (small["state"], small["points"], small["source"]) == ("partial", 0.5, "manual")
    assert small["answered_by"] == "olivia"
    assert items["baselines"]["state"] is None
    assert data["score"] == 1.5  # costs yes + start small partly


def test_an_unknown_template_is_404(owner_api: Client, problem: Problem) -> None:
    response = owner_api.get(f"{list_url(problem)}/nope")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_another_teams_problem_is_404_on_every_route(
    owner_api: Client, foreign_problem: Problem
) -> None:
    assert owner_api.get(list_url(foreign_problem)).status_code == 404
    assert owner_api.get(f"{list_url(foreign_problem)}/is_ml_right").status_code == 404


def test_a_token_acts_only_for_its_own_team(
    owner: User, team: Team, other_team: Team, foreign_problem: Problem, problem: Problem
) -> None:
    # Olivia is also in the other team, but her token is for the fraud team.
    account_services.membership_set(team=other_team, user=owner, role="owner")
    token = account_services.api_token_create(user=owner, team=team, name="ci", read_only=True)
    client = api_client(token.plaintext)
    assert client.get(list_url(problem)).status_code == 200
    assert client.get(list_url(foreign_problem)).status_code == 404


def test_without_a_token_it_is_401(client: Client, problem: Problem) -> None:
    assert client.get(list_url(problem)).status_code == 401


def test_the_schema_documents_the_routes_and_their_errors(owner_api: Client) -> None:
    schema = json.loads(owner_api.get("/api/v1/openapi.json").content)
    one = schema["paths"]["/api/v1/problems/{problem_id}/checklists/{template_key}"]["get"]
    assert {"200", "401", "404", "422"} <= set(one["responses"])
    assert "/api/v1/problems/{problem_id}/checklists" in schema["paths"]
