"""API: a problem's monitors (list, create), a monitor's checks, batch upload; team
scoping (another team's ids are 404) and read-only tokens cannot write."""

import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Team, User
from apps.monitors.models import Monitor, ProductionBatch
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.conftest import api_client


def batch_csv(quality: float = 0.05, rows: int = 120) -> SimpleUploadedFile:
    import numpy as np

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, rows)
    score = np.clip(quality * y + rng.uniform(0, 1 - quality, rows), 0, 1).round(4)
    frame = pd.DataFrame({"churned": np.where(y == 1, "yes", "no"), "score": score})
    return SimpleUploadedFile("batch.csv", frame.to_csv(index=False).encode(), "text/csv")


def test_create_list_and_read_checks(
    owner_api: Client,
    problem: Problem,
    deployed_run: ModelRun,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            f"/api/v1/problems/{problem.pk}/monitors",
            {
                "name": "AUC",
                "metric": "roc_auc",
                "threshold": 0.9,
                "target_run_id": deployed_run.pk,
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    monitor_id = response.json()["id"]
    assert response.json()["direction"] == "higher"
    listed = owner_api.get(f"/api/v1/problems/{problem.pk}/monitors").json()
    assert [m["id"] for m in listed] == [monitor_id]
    assert listed[0]["state"] == "ok"
    checks = owner_api.get(f"/api/v1/monitors/{monitor_id}/checks").json()
    assert len(checks) == 1
    assert checks[0]["state"] == "ok"


def test_invalid_rule_is_422_naming_the_field(
    owner_api: Client, problem: Problem, deployed_run: ModelRun
) -> None:
    response = owner_api.post(
        f"/api/v1/problems/{problem.pk}/monitors",
        {
            "name": "AUC",
            "metric": "roc_auc",
            "threshold": 0.9,
            "warning_band": -1,
            "target_run_id": deployed_run.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "warning_band"
    assert not Monitor.objects.exists()


def test_batch_upload_returns_202_and_checks_the_monitors(
    owner_api: Client,
    make_monitor,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            f"/api/v1/monitors/{monitor.pk}/batches", {"file": batch_csv(), "label": "week 48"}
        )
    assert response.status_code == 202, response.content
    job = owner_api.get(response.json()["status_url"]).json()
    assert job["status"] == "succeeded", job
    batch = ProductionBatch.objects.get()
    assert batch.label == "week 48"
    monitor.refresh_from_db()
    assert monitor.state == "breach"


def test_a_bad_batch_file_names_the_row_and_stores_nothing(
    owner_api: Client,
    make_monitor,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    bad = SimpleUploadedFile("b.csv", b"churned,score\nyes,0.4\nno,high\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(f"/api/v1/monitors/{monitor.pk}/batches", {"file": bad})
    job = owner_api.get(response.json()["status_url"]).json()
    assert job["status"] == "failed"
    assert "Line 3" in job["error"]
    assert "score" in job["error"]
    assert not ProductionBatch.objects.exists()


def test_read_only_token_cannot_write(
    owner: User,
    team: Team,
    problem: Problem,
    make_monitor,
    deployed_run: ModelRun,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    token = account_services.api_token_create(
        user=owner, team=team, name="ro", read_only=True
    ).plaintext
    client = api_client(token)
    assert client.get(f"/api/v1/monitors/{monitor.pk}/checks").status_code == 200
    response = client.post(
        f"/api/v1/problems/{problem.pk}/monitors",
        {"name": "x", "metric": "roc_auc", "threshold": 0.5, "target_run_id": deployed_run.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client.post(f"/api/v1/monitors/{monitor.pk}/batches", {"file": batch_csv()}).status_code
        == 403
    )


def test_another_teams_token_gets_404(
    outsider: User,
    other_team: Team,
    problem: Problem,
    make_monitor,
    deployed_run: ModelRun,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    token = account_services.api_token_create(
        user=outsider, team=other_team, name="t", read_only=False
    ).plaintext
    client = api_client(token)
    assert client.get(f"/api/v1/problems/{problem.pk}/monitors").status_code == 404
    assert client.get(f"/api/v1/monitors/{monitor.pk}/checks").status_code == 404
    assert (
        client.post(f"/api/v1/monitors/{monitor.pk}/batches", {"file": batch_csv()}).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/problems/{problem.pk}/monitors",
        {"name": "x", "metric": "roc_auc", "threshold": 0.5, "target_run_id": deployed_run.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
