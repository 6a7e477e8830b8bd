"""Fixtures for dataset tests: a problem with a target, and helpers to upload files."""

import io

import numpy as np
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Team, User
from apps.core.models import Job
from apps.datasets import services
from apps.datasets.models import DatasetVersion
from apps.problems import services as problem_services
from apps.problems.models import Problem


@pytest.fixture
def problem(team: Team, owner: User) -> Problem:
    return problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Churn",
        task_type="binary",
        target_column="churned",
        positive_label="1",
    )


@pytest.fixture
def foreign_problem(other_team: Team, outsider: User) -> Problem:
    return problem_services.problem_create(
        team=other_team, user=outsider, source="web", title="Secret", task_type="regression"
    )


def table(rows: int = 200, seed: int = 0, *, leak: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(seed * 100_000, seed * 100_000 + rows),
            "tenure": rng.integers(1, 60, rows),
            "spend": rng.gamma(2.0, 30.0, rows).round(2),
            "plan": rng.choice(["basic", "plus", "pro"], rows),
            "churned": rng.integers(0, 2, rows),
        }
    )
    if leak:
        frame["cancel_reason_filled"] = frame["churned"] * 1.0 + rng.normal(0, 0.01, rows)
    return frame


def csv_file(frame: pd.DataFrame, name: str = "data.csv", sep: str = ",") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, frame.to_csv(index=False, sep=sep).encode(), "text/csv")


def parquet_file(frame: pd.DataFrame, name: str = "data.parquet") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


@pytest.fixture
def upload(django_capture_on_commit_callbacks, problem: Problem, owner: User):  # noqa: ANN001, ANN201
    """Upload through the service and run the ingest job (tasks run eagerly in tests)."""

    def run(
        file: SimpleUploadedFile, *, name: str = "customers", role: str = "train", **kw: object
    ) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.dataset_upload_start(
                problem=kw.pop("problem", problem),
                user=owner,
                name=name,
                role=role,
                uploaded=file,
                **kw,
            )
        job.refresh_from_db()
        return job

    return run


def version_of(job: Job) -> DatasetVersion:
    assert job.status == "succeeded", job.error
    return DatasetVersion.objects.get(pk=job.result["version_id"])


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
