from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.conftest import api_client
from tests.runs.conftest import csv_file, predictions


def test_posting_a_prediction_file_returns_202_and_evaluates_it(
    owner_api: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            f"/api/v1/problems/{problem.pk}/runs",
            {"name": "gbm", "file": csv_file(predictions()), "score_column": "score"},
        )
    assert response.status_code == 202, response.content
    assert response.json()["status_url"].startswith("/api/v1/jobs/")
    run = ModelRun.objects.get()
    body = owner_api.get(f"/api/v1/runs/{run.pk}").json()
    assert body["status"] == "ready"
    assert body["metrics"]["roc_auc"] == run.evaluation["roc_auc"]
    assert body["intervals"]["f1"]["low"] <= body["metrics"]["f1"]
    assert body["threshold"] == 0.5


def test_another_teams_token_gets_404_on_every_run_route(
    ready_run: ModelRun, other_team: Team, outsider: User
) -> None:
    token = account_services.api_token_create(
        user=outsider, team=other_team, name="t", read_only=False
    ).plaintext
    client = api_client(token)
    assert client.get(f"/api/v1/runs/{ready_run.pk}").status_code == 404
    response = client.post(
        f"/api/v1/problems/{ready_run.problem_id}/runs",
        {"name": "x", "file": csv_file(predictions())},
    )
    assert response.status_code == 404
