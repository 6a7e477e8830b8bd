"""Fixtures for monitor tests: a binary problem with costs, a deployed run, batches."""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from apps.accounts.models import Team, User
from apps.monitors import services
from apps.monitors.models import Monitor, ProductionBatch
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from apps.runs.services import run_create_from_arrays


@pytest.fixture(autouse=True)
def private_dataset_storage(settings, tmp_path) -> None:  # noqa: ANN001
    settings.STORAGES = {
        **settings.STORAGES,
        "datasets": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "datasets")},
        },
    }


@pytest.fixture
def problem(team: Team, owner: User) -> Problem:
    return problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Churn",
        task_type="binary",
        target_column="churned",
        positive_label="yes",
        cost_fp=5,
        cost_fn=50,
        decisions_per_month=1000,
    )


def scored(rows: int = 200, *, quality: float = 0.35, seed: int = 0) -> tuple:
    """Labels and scores; larger `quality` separates the classes better."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, rows)
    score = np.clip(quality * y + rng.uniform(0, 1 - quality, rows), 0, 1)
    return y, score


@pytest.fixture
def deployed_run(problem: Problem, owner: User) -> ModelRun:
    y, s = scored(seed=1, quality=0.5)
    return run_create_from_arrays(problem=problem, user=owner, name="gbm", y_true=y, scores=s)


def batch_frame(rows: int = 200, *, quality: float = 0.5, seed: int = 2) -> pd.DataFrame:
    y, s = scored(rows, quality=quality, seed=seed)
    return pd.DataFrame({"y_true": y.astype(np.int8), "score": s})


@pytest.fixture
def add_batch(
    django_capture_on_commit_callbacks, deployed_run: ModelRun, owner: User
) -> Callable[..., ProductionBatch]:
    """Store a batch and check the run's monitors, as the batch job does."""

    def add(quality: float = 0.5, *, seed: int = 2, run: ModelRun | None = None) -> ProductionBatch:
        target = run or deployed_run
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.batch_create_from_frame(
                run=target, predictions=batch_frame(quality=quality, seed=seed), user=owner
            )
            for monitor in Monitor.objects.filter(target_run=target, active=True):
                services.monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch")
        return batch

    return add


@pytest.fixture
def make_monitor(
    django_capture_on_commit_callbacks, problem: Problem, owner: User, deployed_run: ModelRun
) -> Callable[..., Monitor]:
    def make(**fields: object) -> Monitor:
        fields.setdefault("name", "AUC floor")
        fields.setdefault("kind", "threshold")
        fields.setdefault("metric", "roc_auc")
        fields.setdefault("target_run", deployed_run)
        with django_capture_on_commit_callbacks(execute=True):
            monitor = services.monitor_create(problem=problem, user=owner, **fields)
        monitor.refresh_from_db()
        return monitor

    return make
