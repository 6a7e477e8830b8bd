"""A worker killed mid-ladder: the job is retried, and each rung is stored exactly once."""

from collections.abc import Callable

import pytest

from apps.accounts.models import Team, User
from apps.core.models import JobStatus
from apps.datasets import services as dataset_services
from apps.problems import services as problem_services
from apps.runs import baselines
from apps.runs.models import ModelRun
from tests.conftest import RedisServer, WorkerProcess
from tests.integration.test_job_path import describe, outcomes, wait_for_job
from tests.runs.conftest import planted

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def test_a_worker_killed_during_training_is_retried_and_stores_each_rung_once(
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    team: Team,
    owner: User,
) -> None:
    use_real_broker(redis_server.url)
    problem = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Churn",
        task_type="binary",
        target_column="churned",
        positive_label="yes",
    )
    versions = [
        dataset_services.dataset_version_create_from_frame(
            problem=problem,
            user=owner,
            name=name,
            role=role,
            frame=planted(rows, seed),
            filename=f"{name}.csv",
        )
        for name, role, rows, seed in (("train", "train", 3000, 1), ("test", "test", 1000, 2))
    ]
    first = celery_worker_factory(redis_server.url)
    first.start()
    job = baselines.baseline_train_start(
        problem=problem,
        user=owner,
        train_version=versions[0],
        eval_version=versions[1],
        automl_budget_s=8,
    )
    job = wait_for_job(
        job.pk,
        lambda j: j.status == JobStatus.RUNNING and "automl" in j.message.lower(),
        what="the ladder to reach AutoML",
        workers=[first],
    )
    first.kill()
    second = celery_worker_factory(redis_server.url)
    second.start()
    job = wait_for_job(
        job.pk,
        lambda j: j.is_finished,
        what="the retried ladder to finish",
        workers=[first, second],
        timeout=120,
    )
    assert job.status == JobStatus.SUCCEEDED, describe(job.pk, [first, second])
    assert outcomes(job) == ["lost", "succeeded"], describe(job.pk, [first, second])
    keys = sorted(ModelRun.objects.filter(job=job).values_list("baseline_key", flat=True))
    assert keys == sorted(["dummy", "one_rule", "linear", "gradient_boosting", "automl"])
    assert sorted(job.result["run_ids"]) == sorted(
        ModelRun.objects.filter(job=job).values_list("pk", flat=True)
    )
