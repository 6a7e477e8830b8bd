from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score, log_loss, roc_auc_score

from apps.accounts.models import User
from apps.datasets import services as dataset_services
from apps.problems.models import Problem
from apps.runs import services
from apps.runs.models import ModelRun
from tests.runs.conftest import csv_file, predictions, run_of


def _files(settings) -> list[Path]:  # noqa: ANN001
    root = Path(settings.STORAGES["datasets"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_is_evaluated_with_metrics_equal_to_sklearns(upload, settings) -> None:  # noqa: ANN001
    frame = predictions()
    run = run_of(upload(csv_file(frame)))
    y = (frame["churned"] == "yes").astype(int)
    assert run.status == "ready"
    assert run.columns == {"y_true": "churned", "score": "score"}
    assert run.rows == len(frame)
    assert run.evaluation["roc_auc"] == pytest.approx(roc_auc_score(y, frame["score"]))
    assert run.evaluation["f1"] == pytest.approx(f1_score(y, frame["score"] >= 0.5))
    assert run.evaluation["log_loss"] == pytest.approx(log_loss(y, frame["score"]))
    assert (
        run.intervals["roc_auc"]["low"]
        <= run.evaluation["roc_auc"]
        <= run.intervals["roc_auc"]["high"]
    )
    assert run.evaluation["cost"]["cost_per_month"] is not None
    assert len(_files(settings)) == 1  # the stored predictions; the staged file is gone


def test_columns_are_guessed_from_common_names(upload, problem: Problem) -> None:  # noqa: ANN001
    frame = predictions().rename(columns={"churned": "label", "score": "proba"})
    run = run_of(upload(csv_file(frame)))
    assert run.columns == {"y_true": "label", "score": "proba"}


def test_an_explicit_mapping_overrides_the_guess(upload) -> None:  # noqa: ANN001
    frame = predictions()
    frame["score_v2"] = (1 - frame["score"]).round(3)
    run = run_of(upload(csv_file(frame), y_true_column="churned", score_column="score_v2"))
    y = (frame["churned"] == "yes").astype(int)
    assert run.columns["score"] == "score_v2"
    assert run.evaluation["roc_auc"] == pytest.approx(roc_auc_score(y, frame["score_v2"]))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.__setitem__("score", f["score"].where(f.index != 3, 1.3)), "Line 5"),
        (lambda f: f.__setitem__("score", f["score"].where(f.index != 3, np.nan)), "Line 5"),
        (lambda f: f.__setitem__("churned", f["churned"].where(f.index != 3, "maybe")), "3"),
        (lambda f: f.pop("score"), "No score column"),
    ],
    ids=["score-above-one", "nan-score", "three-labels", "missing-score-column"],
)
def test_a_bad_file_fails_the_job_naming_where_and_stores_nothing(
    upload, settings, change, expected: str
) -> None:  # noqa: ANN001
    frame = predictions()
    change(frame)
    job = upload(csv_file(frame))
    assert job.status == "failed"
    assert expected in job.error
    assert not ModelRun.objects.exists()
    assert _files(settings) == []


def test_a_score_above_one_names_the_row_and_the_column(upload) -> None:  # noqa: ANN001
    frame = predictions()
    frame.loc[3, "score"] = 1.3
    job = upload(csv_file(frame))
    assert job.error.startswith("Line 5, column “score”: 1.3 is outside [0, 1]")


def test_three_labels_are_refused_naming_the_column(upload) -> None:  # noqa: ANN001
    frame = predictions()
    frame.loc[7, "churned"] = "maybe"
    job = upload(csv_file(frame))
    assert "Column “churned” has 3 distinct labels" in job.error


def test_labels_that_miss_the_positive_label_are_refused(upload) -> None:  # noqa: ANN001
    frame = predictions()
    frame["churned"] = frame["churned"].map({"yes": "Y", "no": "N"})
    job = upload(csv_file(frame))
    assert job.status == "failed"
    assert "positive label is “yes”" in job.error


def test_evaluating_against_a_test_version_increments_its_counter(
    upload, problem: Problem, owner: User
) -> None:  # noqa: ANN001
    frame = predictions()
    version = dataset_services.dataset_version_create_from_frame(
        problem=problem, user=owner, name="holdout", role="test", frame=frame, filename="t.csv"
    )
    run = run_of(upload(csv_file(frame), dataset_version=version))
    version.refresh_from_db()
    assert run.dataset_version == version
    assert version.evaluation_count == 1


def test_a_row_count_unlike_the_dataset_versions_is_refused(
    upload, problem: Problem, owner: User
) -> None:  # noqa: ANN001
    version = dataset_services.dataset_version_create_from_frame(
        problem=problem,
        user=owner,
        name="holdout",
        role="test",
        frame=predictions(rows=50),
        filename="t.csv",
    )
    job = upload(csv_file(predictions()), dataset_version=version)
    version.refresh_from_db()
    assert job.status == "failed"
    assert "120 rows" in job.error
    assert version.evaluation_count == 0


def test_a_threshold_is_stored_with_who_and_why(ready_run: ModelRun, owner: User) -> None:
    run = services.run_threshold_set(
        run=ready_run, user=owner, threshold=0.37, reason="recall ≥ 0.9"
    )
    assert (run.threshold, run.threshold_set_by, run.threshold_reason) == (
        0.37,
        owner,
        "recall ≥ 0.9",
    )
    assert run.threshold_set_at is not None


def test_a_parquet_file_is_accepted(upload) -> None:  # noqa: ANN001
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    predictions().to_parquet(buffer, index=False)
    run = run_of(upload(SimpleUploadedFile("p.parquet", buffer.getvalue())))
    assert run.rows == 120
    assert run.columns == {"y_true": "churned", "score": "score"}


def test_an_explicit_column_that_is_not_in_the_file_is_named(upload) -> None:  # noqa: ANN001
    job = upload(csv_file(predictions()), score_column="p_churn")
    assert job.status == "failed"
    assert "The score column “p_churn” is not in the file" in job.error
    assert not ModelRun.objects.exists()
