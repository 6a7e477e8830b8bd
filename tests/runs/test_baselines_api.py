"""API: start the ladder, record a reference, read the leaderboard; team scoping."""

import json

from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.core.models import Job
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.conftest import api_client


def _post(client: Client, url: str, payload: dict) -> object:
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_the_ladder_starts_through_the_api_and_fills_the_leaderboard(
    owner_api: Client,
    problem: Problem,
    versions,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    train, test = versions
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            owner_api,
            f"/api/v1/problems/{problem.pk}/baselines",
            {"train_version_id": train.pk, "eval_version_id": test.pk, "automl_budget_s": None},
        )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == "succeeded", job.error
    with django_capture_on_commit_callbacks(execute=True):
        board = owner_api.get(f"/api/v1/problems/{problem.pk}/leaderboard").json()
    assert board["metric"] == "roc_auc"
    assert {e["kind"] for e in board["entries"]} == {"baseline"}
    assert len(board["entries"]) == 4
    assert board["reference_run_id"] is not None
    board = owner_api.get(f"/api/v1/problems/{problem.pk}/leaderboard").json()
    assert board["verdicts_status"] == "succeeded"
    tested = [e for e in board["entries"] if e["verdict"]]
    assert tested
    assert all(e["verdict"]["state"] == "tested" for e in tested)


def test_a_reference_is_created_and_bad_values_are_named(
    owner_api: Client, problem: Problem
) -> None:
    url = f"/api/v1/problems/{problem.pk}/references"
    bad = _post(
        owner_api,
        url,
        {
            "name": "Radiologists",
            "reference_kind": "human_expert",
            "metrics": {"roc_auc": {"value": 2}},
            "source": "audit",
        },
    )
    assert bad.status_code == 422
    assert "metrics.roc_auc.value" in json.dumps(bad.json())
    assert not ModelRun.objects.exists()
    ok = _post(
        owner_api,
        url,
        {
            "name": "Radiologists",
            "reference_kind": "human_expert",
            "metrics": {"roc_auc": {"value": 0.82, "low": 0.78, "high": 0.86}},
            "source": "2023 audit",
            "sample_size": 300,
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["metrics"]["roc_auc"] == 0.82
    board = owner_api.get(f"/api/v1/problems/{problem.pk}/leaderboard").json()
    assert board["entries"][0]["interval"]["low"] == 0.78


def test_foreign_problems_and_versions_are_404_and_read_only_tokens_cannot_train(
    problem: Problem,
    versions,
    other_team: Team,
    outsider: User,
    owner: User,
    team: Team,  # noqa: ANN001
) -> None:
    token = account_services.api_token_create(
        user=outsider, team=other_team, name="t", read_only=False
    ).plaintext
    outsider_api = api_client(token)
    train, test = versions
    payload = {"train_version_id": train.pk, "eval_version_id": test.pk}
    assert outsider_api.get(f"/api/v1/problems/{problem.pk}/leaderboard").status_code == 404
    assert (
        _post(outsider_api, f"/api/v1/problems/{problem.pk}/baselines", payload).status_code == 404
    )
    read_only = api_client(
        account_services.api_token_create(
            user=owner, team=team, name="ro", read_only=True
        ).plaintext
    )
    response = _post(read_only, f"/api/v1/problems/{problem.pk}/baselines", payload)
    assert response.status_code == 403
    assert not Job.objects.filter(kind="baseline_train").exists()


def test_gates_are_managed_through_the_api_with_field_errors(
    owner_api: Client, problem: Problem
) -> None:
    url = f"/api/v1/problems/{problem.pk}/gates"
    bad = _post(
        owner_api, url, {"metric": "roc_auc", "baseline": "best_simple", "min_rel_change": 2}
    )
    assert bad.status_code == 422
    assert "min_rel_change" in json.dumps(bad.json())
    created = _post(owner_api, url, {"metric": "roc_auc", "threshold": 0.8})
    assert created.status_code == 201, created.content
    gate_id = created.json()["id"]
    assert [g["id"] for g in owner_api.get(url).json()] == [gate_id]
    assert owner_api.delete(f"/api/v1/gates/{gate_id}").status_code == 204
    assert owner_api.get(url).json() == []
