"""The job runner: how a Celery task turns into a claimed, heart-beating, finished Job.

An app declares a kind of job with `@job_task("kind")` on a function that takes the Job
and a Progress reporter and returns a JSON-able result. The decorator makes the Celery
task (named `jobs.<kind>`); `job_create(kind=...)` finds it here.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection
from django.utils.module_loading import autodiscover_modules

from apps.core import services
from apps.core.models import Job

logger = logging.getLogger(__name__)

_TASKS: dict[str, Task] = {}


class JobDataError(Exception):
    """A problem with the job's input that the user can fix: stored as the job's error."""


class Progress:
    """Handed to a job handler: report progress, learn about cancellation."""

    def __init__(self, claim: services.Claim) -> None:
        self.claim = claim

    def __call__(self, percent: float, message: str) -> None:
        services.job_report_progress(claim=self.claim, progress=round(percent), message=message)


class Heartbeat:
    """Touch the job's heartbeat from a thread while a long step holds the task busy."""

    def __init__(self, claim: services.Claim, interval: float) -> None:
        self.claim = claim
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="job-heartbeat")

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                if not services.job_heartbeat(claim=self.claim):
                    return
        finally:
            connection.close()

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job_id: str, handler: Callable[[Job, Progress], dict]) -> str:
    """Claim the job, run the handler with a heartbeat, record how it ended."""
    claim = services.job_claim(job_id=job_id, worker=worker_name())
    if claim is None:
        claim = services.job_reclaim_orphan(job_id=job_id, worker=worker_name())
    if claim is None:
        logger.info("Job %s is not queued (already claimed, finished or cancelled)", job_id)
        return "skipped"
    job = Job.objects.get(pk=job_id)
    progress = Progress(claim)
    try:
        with Heartbeat(claim, settings.JOB_HEARTBEAT_SECONDS):
            result = handler(job, progress)
    except services.JobCancelled:
        services.job_mark_cancelled(claim=claim)
        return "cancelled"
    except services.JobLost:
        logger.warning("Job %s attempt %s lost its claim; stopping", job_id, claim.attempt)
        return "lost"
    except JobDataError as exc:
        services.job_fail(claim=claim, error=str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        services.job_fail(
            claim=claim,
            error=f"Stopped at the time limit ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s).",
        )
        return "failed"
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        services.job_fail(
            claim=claim,
            error=f"Internal error ({type(exc).__name__}): the job stopped unexpectedly. "
            "The worker log has the details.",
        )
        return "failed"
    services.job_succeed(claim=claim, result=result or {})
    return "succeeded"


def job_task(kind: str) -> Callable[[Callable[[Job, Progress], dict]], Task]:
    """Register a job handler for `kind` and wrap it in a Celery task."""

    def decorate(handler: Callable[[Job, Progress], dict]) -> Task:
        @shared_task(name=f"jobs.{kind}")
        def task(job_id: str) -> str:
            return run_job(job_id, handler)

        task.__doc__ = handler.__doc__
        _TASKS[kind] = task
        return task

    return decorate


def job_task_for_kind(kind: str) -> Task:
    """The Celery task that runs jobs of this kind (importing every app's tasks module)."""
    if kind not in _TASKS:
        autodiscover_modules("tasks")
    if kind not in _TASKS:
        raise LookupError(f"No job handler is registered for the kind “{kind}”.")
    return _TASKS[kind]
