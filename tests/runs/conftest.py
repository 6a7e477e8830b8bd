"""Fixtures for run tests: a binary problem with costs, prediction files, and an uploader."""

import numpy as np
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Team, User
from apps.core.models import Job
from apps.datasets import services as dataset_services
from apps.datasets.models import DatasetVersion
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs import services
from apps.runs.models import ModelRun


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


def predictions(rows: int = 120, seed: int = 0) -> pd.DataFrame:
    """Labels "yes"/"no" and scores that separate them imperfectly."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, rows)
    score = np.clip(0.35 * y + rng.uniform(0, 0.65, rows), 0, 1).round(3)
    return pd.DataFrame(
        {"case": np.arange(rows), "churned": np.where(y == 1, "yes", "no"), "score": score}
    )


def csv_file(frame: pd.DataFrame, name: str = "preds.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, frame.to_csv(index=False).encode(), "text/csv")


@pytest.fixture
def upload(django_capture_on_commit_callbacks, problem: Problem, owner: User):  # noqa: ANN001, ANN201
    """Upload through the service and run the evaluation job eagerly."""

    def run(file: SimpleUploadedFile, *, name: str = "gbm", **kw: object) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.run_upload_start(
                problem=kw.pop("problem", problem), user=owner, name=name, uploaded=file, **kw
            )
        job.refresh_from_db()
        return job

    return run


def run_of(job: Job) -> ModelRun:
    assert job.status == "succeeded", job.error
    return ModelRun.objects.get(pk=job.result["run_id"])


@pytest.fixture
def ready_run(upload) -> ModelRun:  # noqa: ANN001
    return run_of(upload(csv_file(predictions())))


@pytest.fixture(autouse=True)
def private_dataset_storage(settings, tmp_path) -> None:  # noqa: ANN001
    """Each test gets its own storage folder, so "nothing stored" is checkable."""
    settings.STORAGES = {
        **settings.STORAGES,
        "datasets": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "datasets")},
        },
    }


def planted(rows: int, seed: int) -> pd.DataFrame:
    """`signal` > 0.6 decides the label 90 % of the time; `noise` and `city` carry nothing."""
    rng = np.random.default_rng(seed)
    signal = rng.uniform(0, 1, rows)
    flip = rng.random(rows) < 0.1
    label = np.where((signal > 0.6) ^ flip, "yes", "no")
    return pd.DataFrame(
        {
            "signal": signal.round(4),
            "noise": rng.normal(0, 1, rows).round(4),
            "city": rng.choice(["Oslo", "Lima", "Pune"], rows),
            "churned": label,
        }
    )


@pytest.fixture
def versions(problem: Problem, owner: User) -> tuple[DatasetVersion, DatasetVersion]:
    train = dataset_services.dataset_version_create_from_frame(
        problem=problem,
        user=owner,
        name="customers",
        role="train",
        frame=planted(600, 1),
        filename="train.csv",
    )
    test = dataset_services.dataset_version_create_from_frame(
        problem=problem,
        user=owner,
        name="customers-test",
        role="test",
        frame=planted(400, 2),
        filename="test.csv",
    )
    return train, test
