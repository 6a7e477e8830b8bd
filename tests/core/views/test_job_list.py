"""core:job_list — the team's background jobs."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Team
from apps.core.models import JobStatus


def test_owner_sees_the_team_jobs_newest_first(owner_client: Client, make_job: Callable) -> None:
    make_job(title="Older check")
    make_job(title="Newer check", status=JobStatus.RUNNING)
    response = owner_client.get("/jobs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Newer check") < body.index("Older check")
    assert "Run self-check" in body


def test_jobs_of_another_team_are_not_listed(
    owner_client: Client, make_job: Callable, other_team: Team
) -> None:
    make_job(title="Ours")
    make_job(title="Theirs", team=other_team)
    body = owner_client.get("/jobs/").content.decode()
    assert "Ours" in body
    assert "Theirs" not in body


def test_an_empty_list_says_how_to_start(owner_client: Client) -> None:
    assert "No jobs yet" in owner_client.get("/jobs/").content.decode()


def test_viewer_sees_jobs_but_no_start_button(viewer_client: Client, make_job: Callable) -> None:
    make_job(title="Visible")
    body = viewer_client.get("/jobs/").content.decode()
    assert "Visible" in body
    assert "Run self-check" not in body


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/jobs/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/jobs/"


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_jobs(
    owner_client: Client, make_job: Callable
) -> None:
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get("/jobs/").status_code == 200
        return len(captured)

    for _ in range(3):
        make_job(status=JobStatus.RUNNING)
    with_3 = queries_for_list()
    for _ in range(27):
        make_job(status=JobStatus.SUCCEEDED)
    assert queries_for_list() == with_3
