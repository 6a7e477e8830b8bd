"""Reads of background jobs."""

from django.db.models import QuerySet

from apps.accounts.models import Team
from apps.core.models import Job, JobStatus


def job_list_for_team(team: Team, *, limit: int = 50) -> QuerySet[Job]:
    """The team's most recent jobs, newest first."""
    return (
        Job.objects.filter(team=team).select_related("created_by").order_by("-created_at")[:limit]
    )


def job_active_for_team(team: Team) -> QuerySet[Job]:
    return Job.objects.filter(team=team, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
