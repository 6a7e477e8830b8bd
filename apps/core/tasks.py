"""Core background work: the self-check job, the outbox relay and the stale-job sweeper."""

from celery import shared_task

from apps.core import services
from apps.core.jobs import Progress, job_task
from apps.core.models import Job
from mlcore.selfcheck import run_self_check

SELFCHECK_KIND = "selfcheck"


@job_task(SELFCHECK_KIND)
def selfcheck_task(job: Job, progress: Progress) -> dict:
    """Run mlcore's self-check (cross-validated AUC on bundled data) with progress."""
    pace = float(job.params.get("pace_seconds", 0.0))
    return run_self_check(progress, pace_seconds=min(max(pace, 0.0), 10.0)).to_dict()


@shared_task(name="core.job_relay_task")
def job_relay_task() -> int:
    """Publish jobs whose request found the broker down (the outbox relay)."""
    return services.job_relay_unpublished()


@shared_task(name="core.job_sweep_task")
def job_sweep_task() -> dict[str, int]:
    """Re-dispatch or fail jobs whose worker stopped sending heartbeats."""
    return services.job_sweep_stale()
