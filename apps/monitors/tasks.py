"""Monitor background work: evaluate a batch (a job), check a monitor, find due monitors,
deliver a notification with retries and exponential backoff.

New runs reach monitors through beat, not a signal: runs (to our left in the app chain)
cannot call us, and a run becomes "ready" through a queryset UPDATE, which sends no
post_save. `monitor_due_checks_task` therefore also picks monitors whose problem has a
ready run newer than their last check (trigger "run").
"""

from celery import shared_task
from django.conf import settings

from apps.core.jobs import Progress, job_task
from apps.core.models import Job
from apps.monitors import notifications, services


@job_task(services.BATCH_KIND)
def batch_evaluate_task(job: Job, progress: Progress) -> dict:
    """Validate, store and evaluate a production batch, then check its run's monitors."""
    return services.batch_evaluate(job=job, progress=progress)


@shared_task(name="monitors.monitor_check_task")
def monitor_check_task(monitor_id: int, trigger: str = "schedule") -> str | None:
    """Check one monitor now (a Check row; notifications on a state change)."""
    check = services.monitor_check(monitor_id=monitor_id, trigger=trigger)
    return None if check is None else check.state


@shared_task(name="monitors.monitor_due_checks_task")
def monitor_due_checks_task() -> int:
    """Beat: enqueue a check for every monitor due by its interval or with a new run."""
    due = services.monitor_due_ids()
    for monitor_id, trigger in due:
        monitor_check_task.delay(monitor_id, trigger)
    return len(due)


@shared_task(name="monitors.notification_deliver_task", bind=True, max_retries=None)
def notification_deliver_task(self, notification_id: int) -> str:  # noqa: ANN001
    """One delivery attempt; a transient failure is retried after 30 s, 60 s, 120 s…"""
    outcome = notifications.notification_deliver(notification_id=notification_id)
    if outcome == "retry":
        if self.request.is_eager:
            # Eager mode (tests) re-raises Retry instead of re-running: try again inline.
            return self.run(notification_id)
        backoff = settings.MONITOR_DELIVERY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(countdown=backoff)
    return outcome
