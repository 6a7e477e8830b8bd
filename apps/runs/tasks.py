"""Run background work: validate, store and evaluate uploaded predictions."""

from apps.core.jobs import Progress, job_task
from apps.core.models import Job
from apps.runs import baselines, leaderboard, services


@job_task(services.EVALUATE_KIND)
def run_evaluate_task(job: Job, progress: Progress) -> dict:
    """Validate an uploaded prediction file, store it as a run, and evaluate it."""
    return services.run_evaluate(job=job, progress=progress)


@job_task(services.COMPARE_KIND)
def run_compare_task(job: Job, progress: Progress) -> dict:
    """Paired bootstrap intervals of runs against the first one."""
    return services.run_compare(job=job, progress=progress)


@job_task(baselines.TRAIN_KIND)
def baseline_train_task(job: Job, progress: Progress) -> dict:
    """Train the baseline ladder and store each rung as an evaluated run."""
    return baselines.baseline_train(job=job, progress=progress)


@job_task(leaderboard.VERDICTS_KIND)
def leaderboard_verdicts_task(job: Job, progress: Progress) -> dict:
    """Paired verdicts of a problem's runs against its best simple baseline."""
    return leaderboard.leaderboard_verdicts(job=job, progress=progress)
