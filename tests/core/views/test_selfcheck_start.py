"""core:selfcheck_start — a POST that queues a self-check job and shows its page."""

from collections.abc import Callable

import pytest
from django.test import Client

from apps.accounts.models import Team, User
from apps.core import tasks
from apps.core.models import Job, JobStatus


def test_owner_starts_a_self_check_and_lands_on_its_page(
    owner_client: Client, owner: User, team: Team
) -> None:
    response = owner_client.post("/jobs/self-check/")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == f"/jobs/{job.pk}/"
    assert job.kind == "selfcheck"
    assert job.team == team
    assert job.created_by == owner
    assert job.status == JobStatus.QUEUED


def test_teammate_may_start_a_self_check(teammate_client: Client) -> None:
    assert teammate_client.post("/jobs/self-check/").status_code == 302
    assert Job.objects.count() == 1


def test_the_self_check_runs_to_success_once_the_request_commits(
    owner_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    real = tasks.run_self_check
    paces: list[float] = []

    def unpaced(progress: object, *, pace_seconds: float) -> object:
        paces.append(pace_seconds)
        return real(progress)  # the view's pause between steps is for people watching

    monkeypatch.setattr(tasks, "run_self_check", unpaced)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/jobs/self-check/")

    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert paces == [0.4]
    assert job.result["agrees_with_sklearn"] is True
    page = owner_client.get(response.url)
    assert 'id="selfcheck-result"' in page.content.decode()


def test_viewer_gets_403_and_no_job(viewer_client: Client) -> None:
    assert viewer_client.post("/jobs/self-check/").status_code == 403
    assert not Job.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, team: Team) -> None:
    response = client.post("/jobs/self-check/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Job.objects.exists()


def test_get_is_not_allowed(owner_client: Client) -> None:
    assert owner_client.get("/jobs/self-check/").status_code == 405
    assert not Job.objects.exists()
