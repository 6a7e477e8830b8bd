"""A redelivered task takes over a job whose worker process died on this host."""

import socket
import subprocess
import sys

from django.utils import timezone

from apps.accounts.models import Team
from apps.core import services
from apps.core.models import Job, JobAttempt, JobStatus


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running_job(team: Team, worker: str) -> Job:
    job = Job.objects.create(
        team=team,
        kind="selfcheck",
        title="t",
        status=JobStatus.RUNNING,
        attempts=1,
        worker=worker,
        heartbeat_at=timezone.now(),  # fresh: the sweeper would not touch it yet
    )
    JobAttempt.objects.create(job=job, number=1, worker=worker)
    return job


def test_a_job_held_by_a_dead_local_process_is_reclaimed_at_once(team: Team) -> None:
    job = _running_job(team, f"{socket.gethostname()}:{_dead_pid()}")
    claim = services.job_reclaim_orphan(job_id=job.pk, worker="me:1")
    assert claim is not None
    assert claim.attempt == 2
    job.refresh_from_db()
    assert (job.status, job.worker) == (JobStatus.RUNNING, "me:1")
    outcomes = list(job.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["lost", "running"]


def test_a_live_holder_keeps_its_job(team: Team) -> None:
    import os

    job = _running_job(team, f"{socket.gethostname()}:{os.getpid()}")
    assert services.job_reclaim_orphan(job_id=job.pk, worker="me:1") is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_holder_on_another_host_is_left_to_the_sweeper(team: Team) -> None:
    job = _running_job(team, f"elsewhere.example:{_dead_pid()}")
    assert services.job_reclaim_orphan(job_id=job.pk, worker="me:1") is None
