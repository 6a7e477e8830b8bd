"""Core fixtures: a job factory and a scripted job kind whose handler does what its params say."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.core import services
from apps.core.jobs import JobDataError, Progress, job_task
from apps.core.models import Job, JobStatus

SCRIPTED_KIND = "test-scripted"


@job_task(SCRIPTED_KIND)
def scripted_task(job: Job, progress: Progress) -> dict:
    """Report the listed progress values, then succeed, cancel itself, fail or crash."""
    for percent in job.params.get("reports", []):
        progress(percent, f"At {percent}")
    action = job.params.get("then", "succeed")
    if action == "cancel":
        # A user presses Cancel while the handler runs; it learns at its next report.
        services.job_request_cancel(job=job)
        progress(99, "Still going")
    elif action == "data_error":
        raise JobDataError(job.params["message"])
    elif action == "crash":
        raise RuntimeError("the disk is on fire")
    return {"echo": job.params.get("echo")}


@pytest.fixture
def make_job(team: Team, owner: User) -> Callable[..., Job]:
    """Create a job row directly (no publishing): queued by default, or in a given state."""

    def make(
        *, status: str = JobStatus.QUEUED, team: Team = team, title: str = "Self-check", **fields
    ) -> Job:
        now = timezone.now()
        if status != JobStatus.QUEUED:
            fields.setdefault("started_at", now - timedelta(seconds=3))
            fields.setdefault("heartbeat_at", now)
            fields.setdefault("attempts", 1)
        if status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
            fields.setdefault("finished_at", now)
        return Job.objects.create(
            team=team,
            kind=fields.pop("kind", "selfcheck"),
            title=title,
            status=status,
            created_by=fields.pop("created_by", owner),
            **fields,
        )

    return make
