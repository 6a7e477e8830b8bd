"""The job runner: how a handler's return, cancellation, data errors and crashes end a job."""

from collections.abc import Callable

from apps.accounts.models import Team, User
from apps.core import services
from apps.core.jobs import run_job
from apps.core.models import AttemptOutcome, Job, JobStatus

KIND = "test-scripted"


def run(team: Team, user: User, capture: Callable, **params: object) -> Job:
    with capture(execute=True):
        job = services.job_create(team=team, kind=KIND, title="Scripted", params=params, user=user)
    job.refresh_from_db()
    return job


def test_progress_reports_are_stored_while_the_job_runs(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    seen: list[tuple[int, str]] = []

    def spy(job: Job, progress: object) -> dict:
        for percent in (12.4, 57.6):
            progress(percent, f"step {percent}")
            row = Job.objects.get(pk=job.pk)
            seen.append((row.progress, row.message))
        return {}

    job = services.job_create(team=team, kind=KIND, title="Spy", user=owner)
    assert run_job(str(job.pk), spy) == "succeeded"
    assert seen == [(12, "step 12.4"), (58, "step 57.6")]


def test_a_job_cancelled_while_running_ends_cancelled_at_its_next_report(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    job = run(team, owner, django_capture_on_commit_callbacks, reports=[30], then="cancel")

    assert job.status == JobStatus.CANCELLED
    assert job.progress == 30
    assert job.result is None
    assert job.finished_at is not None
    assert job.attempt_log.get().outcome == AttemptOutcome.CANCELLED


def test_a_data_error_fails_the_job_with_its_own_message(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    message = "Column “label” holds 3 values; a binary target needs 2."
    job = run(team, owner, django_capture_on_commit_callbacks, then="data_error", message=message)

    assert job.status == JobStatus.FAILED
    assert job.error == message
    assert job.message == "Failed"
    assert job.attempt_log.get().outcome == AttemptOutcome.FAILED


def test_an_unexpected_exception_fails_the_job_as_an_internal_error(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    job = run(team, owner, django_capture_on_commit_callbacks, reports=[5], then="crash")

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Internal error")
    assert job.attempt_log.get().outcome == AttemptOutcome.FAILED


def test_a_redelivered_message_for_a_finished_job_is_skipped(
    team: Team, owner: User, django_capture_on_commit_callbacks: Callable
) -> None:
    job = run(team, owner, django_capture_on_commit_callbacks, echo=1)

    assert run_job(str(job.pk), lambda job, progress: {"echo": 2}) == "skipped"
    job.refresh_from_db()
    assert job.result == {"echo": 1}
    assert job.attempts == 1
