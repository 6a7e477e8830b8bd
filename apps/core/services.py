"""Writes for background jobs: create (outbox), publish, claim, progress, finish, sweep."""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.core.models import AttemptOutcome, Job, JobAttempt, JobStatus

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised inside a running job when a user asked to cancel it."""


class JobLost(Exception):
    """Raised inside a running job whose claim was taken over (it must stop quietly)."""


def job_create(
    *, team: Team, kind: str, title: str, params: dict | None = None, user: User | None = None
) -> Job:
    """Record a job and publish it once the surrounding transaction commits.

    If the broker is down at that moment the job stays unpublished and the relay
    publishes it later: the request that created it still succeeds.
    """
    from apps.core.jobs import job_task_for_kind

    job_task_for_kind(kind)  # fail now, in the request, for an unknown kind
    job = Job.objects.create(
        team=team, kind=kind, title=title, params=params or {}, created_by=user
    )
    transaction.on_commit(lambda: job_publish(job_id=job.pk))
    return job


def job_publish(*, job_id: object) -> bool:
    """Send a queued job to the broker; False (and the job stays in the outbox) if it is down."""
    from apps.core.jobs import job_task_for_kind

    job = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return False
    task = job_task_for_kind(job.kind)
    try:
        task.apply_async(args=[str(job.pk)], task_id=f"{job.pk}-{job.attempts + 1}")
    except Exception as exc:  # kombu raises several types for an unreachable broker
        logger.warning("Broker unavailable, job %s stays in the outbox: %s", job.pk, exc)
        return False
    Job.objects.filter(pk=job.pk, published_at__isnull=True).update(
        published_at=timezone.now(), task_id=f"{job.pk}-{job.attempts + 1}"
    )
    return True


def job_relay_unpublished(*, older_than: timedelta = timedelta(seconds=2)) -> int:
    """Publish queued jobs that never reached the broker; returns how many were sent."""
    cutoff = timezone.now() - older_than
    pending = Job.objects.filter(
        status=JobStatus.QUEUED, published_at__isnull=True, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(job_publish(job_id=pk) for pk in list(pending[:500]))


@dataclass(frozen=True)
class Claim:
    """A worker's hold on a job: only the holder of the current attempt may finish it."""

    job_id: object
    attempt: int


def job_claim(*, job_id: object, worker: str) -> Claim | None:
    """Move a queued job to running; None when another delivery got there first."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker=worker,
        message="Starting",
    )
    if not claimed:
        return None
    attempt = Job.objects.values_list("attempts", flat=True).get(pk=job_id)
    JobAttempt.objects.create(job_id=job_id, number=attempt, worker=worker)
    return Claim(job_id=job_id, attempt=attempt)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def job_reclaim_orphan(*, job_id: object, worker: str) -> Claim | None:
    """Claim a running job whose worker process died on this same host.

    A pool child killed mid-job gets its message redelivered within seconds (late acks,
    reject on worker lost), but the row still says "running": rather than wait for the
    stale-heartbeat sweeper, the redelivery takes over when the holder's process is
    provably gone. Another host's process cannot be checked, so it is left to the sweeper.
    """
    job = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None or job.cancel_requested or job.attempts >= settings.JOB_MAX_ATTEMPTS:
        return None
    host, _, pid = job.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or _process_alive(int(pid)):
        return None
    requeued = Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, worker=job.worker
    ).update(status=JobStatus.QUEUED, message="The worker process died; retrying")
    if not requeued:
        return None
    JobAttempt.objects.filter(job=job, number=job.attempts).update(
        outcome=AttemptOutcome.LOST, finished_at=timezone.now()
    )
    return job_claim(job_id=job_id, worker=worker)


def _running(claim: Claim):  # noqa: ANN202 - a QuerySet of one row
    return Job.objects.filter(pk=claim.job_id, status=JobStatus.RUNNING, attempts=claim.attempt)


def job_heartbeat(*, claim: Claim) -> bool:
    """Mark the job alive; False when the claim was lost."""
    return bool(_running(claim).update(heartbeat_at=timezone.now()))


def job_report_progress(*, claim: Claim, progress: int, message: str) -> None:
    """Store progress (0–100) and a message; raises if cancelled or the claim was lost."""
    updated = (
        _running(claim)
        .filter(cancel_requested=False)
        .update(
            progress=max(0, min(100, int(progress))),
            message=message[:300],
            heartbeat_at=timezone.now(),
        )
    )
    if updated:
        return
    if _running(claim).exists():
        raise JobCancelled("Cancelled at the user's request.")
    raise JobLost(f"Job {claim.job_id} attempt {claim.attempt} no longer holds the job.")


def _finish(claim: Claim, *, status: str, outcome: str, **fields: object) -> bool:
    now = timezone.now()
    with transaction.atomic():
        finished = _running(claim).update(
            status=status, finished_at=now, heartbeat_at=now, **fields
        )
        if finished:
            JobAttempt.objects.filter(job_id=claim.job_id, number=claim.attempt).update(
                outcome=outcome, finished_at=now
            )
    return bool(finished)


def job_succeed(*, claim: Claim, result: dict, message: str = "Done") -> bool:
    """Record the result; False if this attempt no longer holds the job (nothing written)."""
    return _finish(
        claim,
        status=JobStatus.SUCCEEDED,
        outcome=AttemptOutcome.SUCCEEDED,
        result=result,
        progress=100,
        message=message,
    )


def job_fail(*, claim: Claim, error: str) -> bool:
    """Record a failure with a message a user can read."""
    return _finish(
        claim,
        status=JobStatus.FAILED,
        outcome=AttemptOutcome.FAILED,
        error=error,
        message="Failed",
    )


def job_mark_cancelled(*, claim: Claim) -> bool:
    return _finish(
        claim, status=JobStatus.CANCELLED, outcome=AttemptOutcome.CANCELLED, message="Cancelled"
    )


def job_request_cancel(*, job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next progress report."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now, message="Cancelled"
    )
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        cancel_requested=True, message="Cancelling…"
    )
    job.refresh_from_db()
    return job


def job_sweep_stale(*, stale_after: timedelta | None = None) -> dict[str, int]:
    """Re-dispatch running jobs whose worker went silent; fail them after the last attempt."""
    stale_after = stale_after or timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    cutoff = timezone.now() - stale_after
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    counts = {"requeued": 0, "failed": 0}
    for job in stale:
        last = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
        if job.attempts < settings.JOB_MAX_ATTEMPTS and not job.cancel_requested:
            changed = last.filter(heartbeat_at__lt=cutoff).update(
                status=JobStatus.QUEUED,
                published_at=None,
                message=f"The worker stopped responding; retrying (attempt {job.attempts + 1})",
            )
            key = "requeued"
        else:
            changed = last.filter(heartbeat_at__lt=cutoff).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                message="Failed",
                error=f"The worker stopped responding {job.attempts} times; giving up.",
            )
            key = "failed"
        if changed:
            JobAttempt.objects.filter(job=job, number=job.attempts).update(
                outcome=AttemptOutcome.LOST, finished_at=timezone.now()
            )
            counts[key] += 1
            if key == "requeued":
                job_publish(job_id=job.pk)
    return counts
