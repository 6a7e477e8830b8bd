"""Monitor services beyond the rule table: drift monitors, segment monitors, beat's due
checks, templates, and concurrent checks of one monitor."""

import threading
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.datasets.services import dataset_version_create_from_frame
from apps.monitors import notifications, services
from apps.monitors.models import Check, Monitor, Notification
from apps.monitors.services import FEATURE_PREFIX
from apps.monitors.templates_offered import monitor_templates
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from apps.runs.services import run_create_from_arrays


def feature_batch(run: ModelRun, *, shift: float, seed: int = 0) -> object:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 500)
    frame = pd.DataFrame(
        {
            "y_true": y.astype(np.int8),
            "score": np.clip(0.5 * y + rng.uniform(0, 0.5, 500), 0, 1),
            FEATURE_PREFIX + "age": rng.normal(40 + shift, 10, 500),
        }
    )
    return services.batch_create_from_frame(run=run, predictions=frame)


def test_drift_monitor_breaches_when_a_column_moves(
    problem: Problem,
    owner: User,
    deployed_run: ModelRun,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    rng = np.random.default_rng(1)
    reference = dataset_version_create_from_frame(
        problem=problem,
        user=owner,
        name="train",
        role="train",
        filename="train.csv",
        frame=pd.DataFrame({"age": rng.normal(40, 10, 2000), "churned": ["yes", "no"] * 1000}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        monitor = services.monitor_create(
            problem=problem,
            user=owner,
            name="Age drift",
            kind="drift",
            target_run=deployed_run,
            reference_version=reference,
            drift_columns=["age"],
        )
    assert Check.objects.get(monitor=monitor).state == "no_data"  # no batch yet
    calm = feature_batch(deployed_run, shift=0)
    check = services.monitor_check(monitor_id=monitor.pk, batch_id=calm.pk, trigger="batch")
    assert check.state == "ok"
    moved = feature_batch(deployed_run, shift=15, seed=2)
    check = services.monitor_check(monitor_id=monitor.pk, batch_id=moved.pk, trigger="batch")
    assert check.state == "breach"
    assert check.value > 0.25
    assert check.threshold_line == 0.25
    assert check.sentence.startswith("age: PSI")


def test_drift_columns_must_exist_in_the_reference(
    problem: Problem, owner: User, deployed_run: ModelRun
) -> None:
    from django.core.exceptions import ValidationError

    reference = dataset_version_create_from_frame(
        problem=problem,
        user=owner,
        name="train",
        role="train",
        filename="t.csv",
        frame=pd.DataFrame({"age": [1, 2, 3, 4], "churned": ["yes", "no", "yes", "no"]}),
    )
    with pytest.raises(ValidationError) as raised:
        services.monitor_create(
            problem=problem,
            user=owner,
            name="d",
            kind="drift",
            target_run=deployed_run,
            reference_version=reference,
            drift_columns=["income"],
        )
    assert "income" in raised.value.message_dict["drift_columns"][0]


def test_segment_monitor_reads_only_that_segment(
    problem: Problem,
    owner: User,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    country = np.array(["FR", "DE"] * 200)
    # Perfect on FR, noise on DE.
    s = np.where(country == "FR", y * 0.8 + 0.1, rng.uniform(0, 1, 400))
    run = run_create_from_arrays(
        problem=problem, user=owner, name="seg", y_true=y, scores=s, segments={"country": country}
    )
    with django_capture_on_commit_callbacks(execute=True):
        fr = services.monitor_create(
            problem=problem,
            user=owner,
            name="FR",
            metric="roc_auc",
            threshold=0.9,
            target_run=run,
            segment_column="country",
            segment_value="FR",
        )
        de = services.monitor_create(
            problem=problem,
            user=owner,
            name="DE",
            metric="roc_auc",
            threshold=0.9,
            target_run=run,
            segment_column="country",
            segment_value="DE",
        )
    assert Check.objects.get(monitor=fr).state == "ok"
    de_check = Check.objects.get(monitor=de)
    assert de_check.state == "breach"
    assert "ROC AUC on country = DE" in de_check.sentence


def test_beat_claims_due_monitors_once_and_new_runs_trigger_a_check(
    make_monitor,
    problem: Problem,
    owner: User,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    assert services.monitor_due_ids() == []  # just checked, next check in an hour
    Monitor.objects.filter(pk=monitor.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.monitor_due_ids() == [(monitor.pk, "schedule")]
    assert services.monitor_due_ids() == []  # leased: not handed out twice
    from apps.monitors.tasks import monitor_check_task

    monitor_check_task(monitor.pk, "schedule")
    y = np.array([0, 1] * 20)
    run_create_from_arrays(problem=problem, user=owner, name="new", y_true=y, scores=y * 0.9)
    assert services.monitor_due_ids() == [(monitor.pk, "run")]


def test_the_beat_task_checks_every_due_monitor(make_monitor) -> None:  # noqa: ANN001
    from apps.monitors.tasks import monitor_due_checks_task

    first = make_monitor(name="a", threshold=0.5)
    second = make_monitor(name="b", threshold=0.5)
    Monitor.objects.update(next_check_at=None)
    assert monitor_due_checks_task() == 2
    assert first.checks.filter(trigger="schedule").count() == 1
    assert second.checks.filter(trigger="schedule").count() == 1


def test_templates_offer_value_floor_baseline_and_primary(
    problem: Problem, owner: User, deployed_run: ModelRun
) -> None:
    y = np.array([0, 1] * 50)
    baseline = run_create_from_arrays(
        problem=problem, user=owner, name="dummy", y_true=y, scores=np.full(100, 0.5)
    )
    ModelRun.objects.filter(pk=baseline.pk).update(kind="baseline", baseline_key="dummy")
    offered = {t["key"]: t for t in monitor_templates(problem)}
    assert set(offered) == {"value_floor", "baseline", "primary"}
    assert offered["value_floor"]["initial"]["kind"] == "break_even"
    assert offered["baseline"]["initial"]["baseline_run"] == baseline.pk
    assert offered["baseline"]["initial"]["mode"] == "non_inferiority"
    assert offered["primary"]["initial"]["target_run"] == deployed_run.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_one_batch_write_one_row_and_notify_once(
    postgres_db: str,
    team: Team,
    make_monitor,
    deployed_run: ModelRun,  # noqa: ANN001
) -> None:
    notifications.channel_create(team=team, name="mail", kind="email", target="a@example.com")
    monitor = make_monitor(threshold=0.9)
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    batch = services.batch_create_from_frame(
        run=deployed_run,
        predictions=pd.DataFrame({"y_true": y.astype(np.int8), "score": rng.uniform(0, 1, 200)}),
    )
    barrier = threading.Barrier(4)
    results = []

    def check() -> None:
        try:
            barrier.wait()
            results.append(
                services.monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    assert monitor.checks.filter(batch=batch).count() == 1
    assert Notification.objects.filter(state="breach").count() == 1


def test_every_check_appends_to_the_sparkline_values(make_monitor, add_batch) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.9)
    add_batch(quality=0.05)
    add_batch(quality=0.6, seed=4)
    monitor.refresh_from_db()
    assert [state for _, state in monitor.recent] == ["ok", "breach", "ok"]
    assert monitor.recent[-1][0] == monitor.last_value


def test_a_redelivered_batch_job_does_not_store_the_batch_twice(
    make_monitor,
    deployed_run: ModelRun,
    owner: User,
    team: Team,  # noqa: ANN001
) -> None:
    from apps.core.models import Job

    monitor = make_monitor(threshold=0.9)
    job = Job.objects.create(team=team, kind=services.BATCH_KIND, title="t", params={})
    batch = feature_batch(deployed_run, shift=0)
    ProductionBatch = type(batch)
    ProductionBatch.objects.filter(pk=batch.pk).update(job=job)
    job.params = {"run_id": deployed_run.pk}
    result = services.batch_evaluate(job=job, progress=lambda *a: None)
    assert result["batch_id"] == batch.pk
    assert ProductionBatch.objects.count() == 1
    assert monitor.checks.filter(batch=batch).count() == 1


def test_a_regression_batch_is_evaluated_and_checked_like_a_run(
    team: Team,
    owner: User,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    from apps.problems import services as problem_services

    problem = problem_services.problem_create(
        team=team, user=owner, source="web", title="Demand", task_type="regression"
    )
    run = ModelRun.objects.create(
        problem=problem, task="regression", name="lgbm", status="ready",
        evaluation={"n": 3, "rmse": 0.5, "mae": 0.4},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        monitor = services.monitor_create(
            problem=problem, user=owner, name="RMSE ceiling", metric="rmse", threshold=1.0,
            target_run=run,
        )  # fmt: skip
    monitor.refresh_from_db()
    assert (monitor.direction, monitor.state) == ("lower", "ok")
    y = np.arange(100, dtype=float)
    batch = services.batch_create_from_frame(
        run=run, predictions=pd.DataFrame({"y_true": y, "prediction": y + 2.0})
    )
    check = services.monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch")
    assert check.value == pytest.approx(2.0)
    assert check.state == "breach"
    assert "above the threshold 1" in check.sentence
