"""API v1 dataset routes."""

from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.core.models import Job
from apps.problems.models import Problem
from tests.conftest import api_client
from tests.datasets.conftest import csv_file, table


def test_upload_returns_202_with_a_job_then_the_version_reads_back(
    owner_api: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            f"/api/v1/problems/{problem.pk}/datasets",
            {"name": "customers", "role": "test", "file": csv_file(table())},
        )
    assert response.status_code == 202, response.content
    job = owner_api.get(response.json()["status_url"]).json()
    assert job["status"] == "succeeded"
    version = owner_api.get(f"/api/v1/datasets/{job['result']['version_id']}").json()
    assert version["rows"] == 200
    assert version["role"] == "test"
    assert version["status"] == "ready"
    assert {c["name"] for c in version["schema_"]} >= {"churned", "plan"}
    assert version["profile"]["rows"] == 200


def test_a_bad_role_is_a_field_error(owner_api: Client, problem: Problem) -> None:
    response = owner_api.post(
        f"/api/v1/problems/{problem.pk}/datasets",
        {"name": "c", "role": "golden", "file": csv_file(table())},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"
    assert not Job.objects.exists()


def test_a_missing_file_is_a_field_error(owner_api: Client, problem: Problem) -> None:
    response = owner_api.post(
        f"/api/v1/problems/{problem.pk}/datasets", {"name": "c", "role": "train"}
    )
    assert response.status_code == 422
    assert "file" in {e["field"] for e in response.json()["errors"]}


def test_too_large_is_413(owner_api: Client, problem: Problem, settings) -> None:  # noqa: ANN001
    settings.UPLOAD_MAX_BYTES = 500
    response = owner_api.post(
        f"/api/v1/problems/{problem.pk}/datasets",
        {"name": "c", "role": "train", "file": csv_file(table(rows=300))},
    )
    assert response.status_code == 413
    assert "upload limit" in response.json()["detail"]


def test_another_teams_problem_and_version_are_404(
    owner_api: Client, foreign_problem: Problem
) -> None:
    response = owner_api.post(
        f"/api/v1/problems/{foreign_problem.pk}/datasets",
        {"name": "c", "role": "train", "file": csv_file(table())},
    )
    assert response.status_code == 404
    assert owner_api.get("/api/v1/datasets/999999").status_code == 404


def test_read_only_tokens_cannot_upload(owner: User, team: Team, problem: Problem) -> None:
    token = account_services.api_token_create(user=owner, team=team, name="ro", read_only=True)
    response = api_client(token.plaintext).post(
        f"/api/v1/problems/{problem.pk}/datasets",
        {"name": "c", "role": "train", "file": csv_file(table())},
    )
    assert response.status_code == 403
