"""The whole job path with real services: PostgreSQL, a private redis-server, a Celery worker.

Each test starts its own Redis on a free port and its own `celery worker -B` (heartbeat
1 s, stale after 4 s, relay and sweep every 1 s), bound to the pytest PostgreSQL database.
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Team, User
from apps.core import services
from apps.core.models import Job, JobAttempt, JobStatus
from apps.core.tasks import SELFCHECK_KIND
from tests.conftest import RedisServer, WorkerProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]

JOB_TIMEOUT = 60


def describe(job_id: object, workers: list[WorkerProcess]) -> str:
    """The job row, its attempts and every worker's log, for a failure message."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        lines = [f"job {job_id}: no such row"]
    else:
        lines = [
            f"job {job.pk}: status={job.status} progress={job.progress} "
            f"attempts={job.attempts} published_at={job.published_at} "
            f"heartbeat_at={job.heartbeat_at} message={job.message!r} error={job.error!r}"
        ]
        lines += [
            f"  attempt {a.number}: {a.outcome} on {a.worker}"
            for a in JobAttempt.objects.filter(job_id=job.pk)
        ]
    lines += [worker.explain() for worker in workers]
    return "\n".join(lines)


def wait_for_job(
    job_id: object,
    until: Callable[[Job], bool],
    *,
    what: str,
    workers: list[WorkerProcess],
    timeout: float = JOB_TIMEOUT,
) -> Job:
    """Poll the job row until `until(job)` holds; fail with the worker logs on a timeout or
    as soon as a worker dies on its own."""

    def check() -> Job | None:
        if any(worker.crashed() for worker in workers):
            pytest.fail(
                f"A worker exited while waiting for {what}\n" + describe(job_id, workers),
                pytrace=False,
            )
        job = Job.objects.get(pk=job_id)
        return job if until(job) else None

    return wait_for(
        check,
        timeout=timeout,
        what=what,
        every=0.2,
        explain=lambda: describe(job_id, workers),
    )


def outcomes(job: Job) -> list[str]:
    return list(
        JobAttempt.objects.filter(job=job).order_by("number").values_list("outcome", flat=True)
    )


def start_selfcheck(*, team: Team, user: User, pace_seconds: float) -> Job:
    return services.job_create(
        team=team,
        kind=SELFCHECK_KIND,
        title="Self-check (integration test)",
        params={"pace_seconds": pace_seconds},
        user=user,
    )


def is_running_midway(job: Job) -> bool:
    # Past the first step: the claim, a progress report and a heartbeat are all written.
    return job.status == JobStatus.RUNNING and job.progress >= 8


def test_a_job_enqueued_by_a_web_request_completes(
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    owner_client: Client,
) -> None:
    use_real_broker(redis_server.url)
    worker = celery_worker_factory(redis_server.url)
    worker.start()

    response = owner_client.post(reverse("core:selfcheck_start"))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.published_at is not None, "the request should publish on commit"
    job = wait_for_job(
        job.pk,
        lambda j: j.is_finished,
        what="the self-check to finish",
        workers=[worker],
    )
    assert job.status == JobStatus.SUCCEEDED, describe(job.pk, [worker])
    assert job.progress == 100
    assert job.result["agrees_with_sklearn"] is True
    assert job.result["rows"] == 569
    assert len(job.result["fold_auc"]) == 5
    assert 0.9 < job.result["oof_auc_low"] <= job.result["oof_auc"] <= job.result["oof_auc_high"]
    assert job.attempts == 1
    assert outcomes(job) == ["succeeded"]


def test_a_job_created_while_the_broker_is_down_is_relayed_once_it_is_back(
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    owner_client: Client,
) -> None:
    redis_server.stop()  # the port is kept: the same URL comes back later
    use_real_broker(redis_server.url)

    started = time.monotonic()
    response = owner_client.post(reverse("core:selfcheck_start"))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for an unreachable broker"
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert job.published_at is None
    page = owner_client.get(reverse("core:job_detail", args=[job.pk]))
    assert "Waiting for the task queue" in page.content.decode()

    redis_server.start()
    worker = celery_worker_factory(redis_server.url)
    worker.start()

    job = wait_for_job(
        job.pk,
        lambda j: j.is_finished,
        what="the relayed self-check to finish",
        workers=[worker],
    )
    assert job.status == JobStatus.SUCCEEDED, describe(job.pk, [worker])
    assert job.published_at is not None
    assert job.attempts == 1
    assert outcomes(job) == ["succeeded"]
    assert job.result["agrees_with_sklearn"] is True


def test_a_job_whose_worker_is_killed_is_swept_and_completes_on_a_new_worker(
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    team: Team,
    owner: User,
) -> None:
    use_real_broker(redis_server.url)
    first = celery_worker_factory(redis_server.url)
    first.start()
    job = start_selfcheck(team=team, user=owner, pace_seconds=1.0)
    job = wait_for_job(job.pk, is_running_midway, what="the job to be mid-way", workers=[first])

    first.kill()
    killed_at = time.monotonic()
    # Nothing is left to notice the loss but the heartbeat going stale.
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    second = celery_worker_factory(redis_server.url)
    second.start()

    job = wait_for_job(
        job.pk,
        lambda j: j.is_finished,
        what="the swept job to finish on the second worker",
        workers=[first, second],
    )
    workers = [first, second]
    assert job.status == JobStatus.SUCCEEDED, describe(job.pk, workers)
    assert job.attempts == 2
    assert outcomes(job) == ["lost", "succeeded"], describe(job.pk, workers)
    lost, won = JobAttempt.objects.filter(job=job).order_by("number")
    assert lost.worker != won.worker
    assert lost.finished_at is not None
    assert job.result["agrees_with_sklearn"] is True
    assert time.monotonic() - killed_at < JOB_TIMEOUT


def pool_children(worker: WorkerProcess) -> set[int]:
    out = subprocess.run(
        ["ps", "--ppid", str(worker.process.pid), "-o", "pid="],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {int(pid) for pid in out.split()}


def test_a_job_whose_pool_process_is_killed_still_completes_exactly_once(
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    team: Team,
    owner: User,
) -> None:
    use_real_broker(redis_server.url)
    worker = celery_worker_factory(redis_server.url)
    worker.start()
    job = start_selfcheck(team=team, user=owner, pace_seconds=1.0)
    job = wait_for_job(job.pk, is_running_midway, what="the job to be mid-way", workers=[worker])

    # Job.worker is "host:pid" of the pool process that claimed it.
    child = int(job.worker.rsplit(":", 1)[1])
    assert child in pool_children(worker), describe(job.pk, [worker])
    os.kill(child, signal.SIGKILL)

    # acks_late + reject_on_worker_lost redeliver the message; the job row still says
    # running, so that delivery cannot claim it and the sweeper re-dispatches it once
    # the heartbeat is stale. Either way one attempt, and only one, succeeds.
    job = wait_for_job(
        job.pk,
        lambda j: j.is_finished,
        what="the job to finish after its pool process died",
        workers=[worker],
    )
    assert job.status == JobStatus.SUCCEEDED, describe(job.pk, [worker])
    assert job.attempts == 2
    assert outcomes(job) == ["lost", "succeeded"], describe(job.pk, [worker])
    assert worker.process.poll() is None, "the worker itself should have survived"
    assert "WorkerLostError" in worker.output() or "SIGKILL" in worker.output()
