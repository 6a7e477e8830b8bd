"""core:job_detail — the job page, and the htmx regions that poll it until the job ends."""

from collections.abc import Callable

import pytest
from django.test import Client

from apps.core.models import Job, JobStatus

HTMX = {"HX-Request": "true"}


def url(job: Job) -> str:
    return f"/jobs/{job.pk}/"


def test_owner_sees_the_full_job_page(owner_client: Client, make_job: Callable) -> None:
    job = make_job(status=JobStatus.RUNNING, progress=40, message="Training fold 3 of 5")
    response = owner_client.get(url(job))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert 'id="job-status"' in body
    assert "Training fold 3 of 5" in body
    assert "40%" in body
    assert f"/jobs/{job.pk}/cancel/" in body


def test_teammate_sees_a_job_started_by_the_owner(
    teammate_client: Client, make_job: Callable
) -> None:
    job = make_job(title="Owner's check")
    response = teammate_client.get(url(job))
    assert response.status_code == 200
    assert "Owner&#x27;s check" in response.content.decode()


def test_viewer_sees_the_job_without_a_cancel_button(
    viewer_client: Client, make_job: Callable
) -> None:
    job = make_job(status=JobStatus.RUNNING)
    response = viewer_client.get(url(job))
    assert response.status_code == 200
    assert "/cancel/" not in response.content.decode()


def test_htmx_poll_returns_only_the_job_status_region(
    owner_client: Client, make_job: Callable
) -> None:
    job = make_job(status=JobStatus.RUNNING, progress=64)
    response = owner_client.get(url(job), headers=HTMX)
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div id="job-status"')
    assert "<html" not in body
    assert "64%" in body
    assert 'hx-trigger="every 700ms"' in body


def test_htmx_poll_from_a_table_row_returns_only_the_row(
    owner_client: Client, make_job: Callable
) -> None:
    job = make_job(status=JobStatus.QUEUED)
    response = owner_client.get(url(job), headers={**HTMX, "HX-Target": f"job-row-{job.pk}"})
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith(f'<tr id="job-row-{job.pk}"')
    assert 'id="job-status"' not in body


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_htmx_poll_keeps_polling_while_the_job_is_active(
    owner_client: Client, make_job: Callable, status: str
) -> None:
    response = owner_client.get(url(make_job(status=status)), headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (JobStatus.SUCCEEDED, ""),
        (JobStatus.FAILED, ""),
        (JobStatus.CANCELLED, ""),
        (JobStatus.SUCCEEDED, "job-row-x"),
    ],
)
def test_htmx_poll_answers_286_once_the_job_is_finished(
    owner_client: Client, make_job: Callable, status: str, target: str
) -> None:
    result = {"n": 1} if status == JobStatus.SUCCEEDED else None
    job = make_job(status=status, kind="test-scripted", result=result)
    headers = {**HTMX, "HX-Target": target} if target else HTMX
    response = owner_client.get(url(job), headers=headers)
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()


def test_a_failed_job_shows_its_error(owner_client: Client, make_job: Callable) -> None:
    job = make_job(status=JobStatus.FAILED, error="Column “label” is missing.")
    body = owner_client.get(url(job)).content.decode()
    assert 'id="job-error"' in body
    assert "Column “label” is missing." in body


def test_a_finished_self_check_shows_its_result_and_chart(
    owner_client: Client, make_job: Callable
) -> None:
    result = {
        "rows": 569,
        "features": 30,
        "missing_cells": 0,
        "positive_share": 0.63,
        "fold_auc": [0.99, 0.98, 0.995, 0.997, 0.99],
        "oof_auc": 0.9912,
        "oof_auc_low": 0.985,
        "oof_auc_high": 0.996,
        "max_abs_diff_vs_sklearn": 0.0,
        "agrees_with_sklearn": True,
        "step_seconds": [],
        "dataset": "breast cancer",
    }
    job = make_job(status=JobStatus.SUCCEEDED, result=result)
    body = owner_client.get(url(job)).content.decode()
    assert 'id="selfcheck-result"' in body
    assert "0.9912" in body
    assert 'id="selfcheck-folds-chart"' in body


def test_anonymous_is_sent_to_login(client: Client, make_job: Callable) -> None:
    response = client.get(url(make_job()))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_outsider_gets_404_on_a_job(outsider_client: Client, make_job: Callable) -> None:
    job = make_job()
    assert outsider_client.get(url(job)).status_code == 404
    assert outsider_client.get(url(job), headers=HTMX).status_code == 404


def test_an_unknown_job_id_is_404(owner_client: Client, owner: object) -> None:
    assert owner_client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert owner_client.get("/jobs/not-a-uuid/").status_code == 404
