"""dashboard:home — the team overview with recent jobs."""

from django.test import Client

from apps.accounts.models import Team, User
from apps.core.models import Job, JobStatus


def add_job(team: Team, title: str, **fields: object) -> Job:
    return Job.objects.create(team=team, kind="selfcheck", title=title, **fields)


def test_owner_sees_the_team_overview_with_a_self_check_button(
    owner_client: Client, team: Team
) -> None:
    response = owner_client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="page-pretitle">Fraud squad</div>' in body
    assert 'id="start-selfcheck"' in body
    assert "No jobs yet" in body


def test_recent_jobs_are_the_team_s_eight_newest(
    owner_client: Client, team: Team, other_team: Team
) -> None:
    for i in range(10):
        add_job(team, f"Check number {i:02d}", status=JobStatus.SUCCEEDED)
    add_job(other_team, "Their secret job")
    body = owner_client.get("/").content.decode()
    assert "Their secret job" not in body
    assert body.count('id="job-row-') == 8
    assert "Check number 09" in body
    assert "Check number 01" not in body


def test_an_active_job_row_polls_for_updates(owner_client: Client, team: Team) -> None:
    job = add_job(team, "Running check", status=JobStatus.RUNNING, progress=30)
    body = owner_client.get("/").content.decode()
    assert f'<tr id="job-row-{job.pk}"' in body
    assert f'hx-get="/jobs/{job.pk}/"' in body


def test_viewer_sees_the_overview_without_a_self_check_button(viewer_client: Client) -> None:
    response = viewer_client.get("/")
    assert response.status_code == 200
    assert 'id="start-selfcheck"' not in response.content.decode()


def test_a_user_without_a_team_is_told_to_ask_an_owner(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("loner", password="x"))
    response = client.get("/")
    assert response.status_code == 403
    assert "not in a team yet" in response.content.decode()


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"
