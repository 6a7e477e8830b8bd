"""core:job_cancel — a POST that cancels a queued job or asks a running one to stop."""

from collections.abc import Callable

from django.test import Client

from apps.core.models import JobStatus


def cancel_url(job: object) -> str:
    return f"/jobs/{job.pk}/cancel/"


def test_owner_cancels_a_queued_job_at_once(owner_client: Client, make_job: Callable) -> None:
    job = make_job(title="To cancel")
    response = owner_client.post(cancel_url(job))
    job.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.CANCELLED
    page = owner_client.get(response.url).content.decode()
    assert "“To cancel” is cancelled." in page


def test_teammate_asks_a_running_job_to_stop(teammate_client: Client, make_job: Callable) -> None:
    job = make_job(status=JobStatus.RUNNING)
    assert teammate_client.post(cancel_url(job)).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.cancel_requested
    assert job.message == "Cancelling…"


def test_cancelling_a_finished_job_changes_nothing(
    owner_client: Client, make_job: Callable
) -> None:
    job = make_job(status=JobStatus.SUCCEEDED, result={"ok": 1})
    assert owner_client.post(cancel_url(job)).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert not job.cancel_requested


def test_viewer_gets_403(viewer_client: Client, make_job: Callable) -> None:
    job = make_job()
    assert viewer_client.post(cancel_url(job)).status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_outsider_gets_404_on_a_job(outsider_client: Client, make_job: Callable) -> None:
    job = make_job()
    assert outsider_client.post(cancel_url(job)).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_anonymous_is_sent_to_login(client: Client, make_job: Callable) -> None:
    job = make_job()
    response = client.post(cancel_url(job))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_get_is_not_allowed(owner_client: Client, make_job: Callable) -> None:
    assert owner_client.get(cancel_url(make_job())).status_code == 405
