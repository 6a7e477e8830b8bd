"""The Job admin pages load for a superuser."""

from collections.abc import Callable

from django.test import Client

from apps.core.models import JobStatus


def test_job_admin_list_and_change_pages_load(admin_client: Client, make_job: Callable) -> None:
    job = make_job(status=JobStatus.RUNNING, title="Admin-visible job")
    listing = admin_client.get("/admin/core/job/")
    assert listing.status_code == 200
    assert "Admin-visible job" in listing.content.decode()
    assert admin_client.get(f"/admin/core/job/{job.pk}/change/").status_code == 200


def test_job_admin_is_closed_to_team_members(owner_client: Client) -> None:
    response = owner_client.get("/admin/core/job/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
