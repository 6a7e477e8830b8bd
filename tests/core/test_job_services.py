"""Job services: create and publish on commit, claim, progress, cancel, finish, sweep, relay."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.accounts.models import Team, User
from apps.core import services
from apps.core.jobs import job_task_for_kind
from apps.core.models import AttemptOutcome, Job, JobAttempt, JobStatus

KIND = "test-scripted"


def create(team: Team, user: User, **params: object) -> Job:
    return services.job_create(team=team, kind=KIND, title="Scripted", params=params, user=user)


def make_stale(job: Job, *, seconds: int = 600) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


@pytest.fixture
def no_publish(monkeypatch: pytest.MonkeyPatch) -> list:
    """Record what the sweeper would publish instead of running it eagerly at once."""
    published: list = []
    monkeypatch.setattr(services, "job_publish", lambda *, job_id: published.append(job_id))
    return published


def test_job_create_publishes_only_when_the_transaction_commits(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = create(team, owner, echo="hi")
    job.refresh_from_db()
    assert len(callbacks) == 1
    assert job.status == JobStatus.QUEUED
    assert job.published_at is None

    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"echo": "hi"}
    assert job.published_at is not None
    assert job.task_id == f"{job.pk}-1"


def test_job_create_runs_the_job_to_success_on_commit(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = create(team, owner, reports=[10, 50], echo=[1, 2])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.message == "Done"
    assert job.result == {"echo": [1, 2]}
    assert job.attempts == 1
    assert job.created_by == owner
    assert job.finished_at >= job.started_at
    assert list(job.attempt_log.values_list("number", "outcome")) == [(1, AttemptOutcome.SUCCEEDED)]


def test_an_unknown_job_kind_is_refused_at_creation(team: Team, owner: User) -> None:
    with pytest.raises(LookupError, match="no-such-kind"):
        services.job_create(team=team, kind="no-such-kind", title="?", user=owner)
    assert not Job.objects.exists()


def test_job_claim_is_a_conditional_update_that_only_one_caller_wins(
    team: Team, owner: User
) -> None:
    job = create(team, owner)

    claim = services.job_claim(job_id=job.pk, worker="w1")
    second = services.job_claim(job_id=job.pk, worker="w2")

    assert claim == services.Claim(job_id=job.pk, attempt=1)
    assert second is None
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.attempts == 1
    assert job.worker == "w1"
    assert job.started_at is not None
    assert list(JobAttempt.objects.filter(job=job).values_list("number", "worker", "outcome")) == [
        (1, "w1", AttemptOutcome.RUNNING)
    ]


def test_a_job_with_a_cancel_request_cannot_be_claimed(team: Team, owner: User) -> None:
    job = create(team, owner)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    assert services.job_claim(job_id=job.pk, worker="w1") is None
    assert not JobAttempt.objects.exists()


@pytest.mark.parametrize(("reported", "stored"), [(150, 100), (-20, 0), (42, 42)])
def test_progress_reports_are_clamped_to_0_100(
    team: Team, owner: User, reported: int, stored: int
) -> None:
    job = create(team, owner)
    claim = services.job_claim(job_id=job.pk, worker="w1")
    services.job_report_progress(claim=claim, progress=reported, message="x" * 400)
    job.refresh_from_db()
    assert job.progress == stored
    assert len(job.message) == 300


def test_cancelling_a_queued_job_cancels_it_immediately(team: Team, owner: User) -> None:
    job = create(team, owner)

    job = services.job_request_cancel(job=job)

    assert job.status == JobStatus.CANCELLED
    assert job.finished_at is not None
    assert services.job_claim(job_id=job.pk, worker="w1") is None
    assert services.job_publish(job_id=job.pk) is False


def test_cancelling_a_running_job_stops_it_at_the_next_progress_report(
    team: Team, owner: User
) -> None:
    job = create(team, owner)
    claim = services.job_claim(job_id=job.pk, worker="w1")

    job = services.job_request_cancel(job=job)
    assert job.status == JobStatus.RUNNING
    assert job.cancel_requested
    with pytest.raises(services.JobCancelled):
        services.job_report_progress(claim=claim, progress=50, message="working")

    assert services.job_mark_cancelled(claim=claim)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.attempt_log.get().outcome == AttemptOutcome.CANCELLED


def test_a_stale_claim_cannot_finish_the_job_after_the_sweeper_requeued_it(
    team: Team, owner: User, no_publish: list
) -> None:
    job = create(team, owner)
    stale_claim = services.job_claim(job_id=job.pk, worker="w1")
    make_stale(job)
    assert services.job_sweep_stale() == {"requeued": 1, "failed": 0}
    fresh_claim = services.job_claim(job_id=job.pk, worker="w2")

    assert services.job_succeed(claim=stale_claim, result={"stale": True}) is False
    assert services.job_fail(claim=stale_claim, error="stale") is False
    with pytest.raises(services.JobLost):
        services.job_report_progress(claim=stale_claim, progress=10, message="stale")

    job.refresh_from_db()
    assert fresh_claim.attempt == 2
    assert job.status == JobStatus.RUNNING
    assert job.result is None
    assert job.error == ""
    assert job.worker == "w2"


def test_the_sweeper_requeues_a_running_job_whose_worker_went_silent(
    team: Team, owner: User, no_publish: list
) -> None:
    job = create(team, owner)
    Job.objects.filter(pk=job.pk).update(published_at=timezone.now())
    services.job_claim(job_id=job.pk, worker="w1")
    make_stale(job)

    counts = services.job_sweep_stale()

    job.refresh_from_db()
    assert counts == {"requeued": 1, "failed": 0}
    assert job.status == JobStatus.QUEUED
    assert job.published_at is None
    assert "retrying (attempt 2)" in job.message
    assert job.attempt_log.get(number=1).outcome == AttemptOutcome.LOST
    assert no_publish == [job.pk]


def test_the_sweeper_leaves_a_job_with_a_recent_heartbeat_alone(
    team: Team, owner: User, no_publish: list
) -> None:
    job = create(team, owner)
    services.job_claim(job_id=job.pk, worker="w1")

    assert services.job_sweep_stale() == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert no_publish == []


def test_a_requeued_job_runs_again_and_succeeds_on_its_second_attempt(
    team: Team, owner: User
) -> None:
    job = create(team, owner, echo="again")
    services.job_claim(job_id=job.pk, worker="lost-worker")
    make_stale(job)

    services.job_sweep_stale()  # re-publishes, which runs the task eagerly here

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"echo": "again"}
    assert job.attempts == 2
    assert list(job.attempt_log.values_list("number", "outcome")) == [
        (1, AttemptOutcome.LOST),
        (2, AttemptOutcome.SUCCEEDED),
    ]


def test_the_sweeper_fails_a_job_after_the_last_attempt_with_a_readable_error(
    team: Team, owner: User, no_publish: list, settings: object
) -> None:
    settings.JOB_MAX_ATTEMPTS = 2
    job = create(team, owner)
    for _ in range(2):
        assert services.job_claim(job_id=job.pk, worker="w") is not None
        make_stale(job)
        services.job_sweep_stale()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The worker stopped responding 2 times; giving up."
    assert job.finished_at is not None
    assert list(job.attempt_log.values_list("outcome", flat=True)) == [
        AttemptOutcome.LOST,
        AttemptOutcome.LOST,
    ]
    assert no_publish == [job.pk]


def test_a_job_whose_publish_failed_stays_queued_and_the_relay_sends_it_later(
    team: Team,
    owner: User,
    owner_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    task = job_task_for_kind("selfcheck")

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/jobs/self-check/")

    assert response.status_code == 302
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED
    assert job.published_at is None
    assert "Waiting for the task queue" in owner_client.get(response.url).content.decode()

    monkeypatch.undo()
    # The self-check's real maths is covered in tests/mlcore; keep this test fast.
    monkeypatch.setattr("apps.core.tasks.run_self_check", _instant_self_check)
    # The relay only picks up jobs a little older than a request takes.
    assert services.job_relay_unpublished() == 0
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=30))
    assert services.job_relay_unpublished() == 1

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.published_at is not None
    assert services.job_relay_unpublished() == 0


def _instant_self_check(progress: object, **kwargs: object) -> object:
    class Report:
        def to_dict(self) -> dict:
            return {"fast": True}

    return Report()
