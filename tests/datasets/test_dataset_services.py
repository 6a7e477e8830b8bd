"""Ingest: validate, store once as Parquet, version, profile; nothing half-stored."""

import contextlib

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.datasets import services, storage
from apps.datasets.models import DatasetVersion
from tests.datasets.conftest import csv_file, parquet_file, table, version_of


def _stored_files() -> list[str]:
    fs = storage.dataset_storage()
    found = []
    for folder in ("staging", "versions"):
        with contextlib.suppress(FileNotFoundError):
            found += [f"{folder}/{name}" for name in fs.listdir(folder)[1]]
    return found


def test_a_csv_becomes_a_profiled_parquet_version(upload) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    assert (version.number, version.role, version.rows, version.column_count) == (
        1,
        "train",
        200,
        5,
    )
    assert version.status == "ready"
    assert version.storage_key.endswith(".parquet")
    assert _stored_files() == [version.storage_key]
    stored = storage.read_parquet(version.storage_key)
    pd.testing.assert_frame_equal(stored, table(), check_dtype=False)
    assert {c["name"] for c in version.profile["column_profiles"]} == set(table().columns)


def test_parquet_uploads_work_too(upload) -> None:  # noqa: ANN001
    assert version_of(upload(parquet_file(table()))).rows == 200


def test_uploading_the_same_file_again_returns_the_same_version(upload) -> None:  # noqa: ANN001
    first = version_of(upload(csv_file(table())))
    second_job = upload(csv_file(table()))
    assert second_job.result["duplicate"] is True
    assert version_of(second_job).pk == first.pk
    assert DatasetVersion.objects.count() == 1
    assert _stored_files() == [first.storage_key]


def test_a_new_file_becomes_the_next_version(upload) -> None:  # noqa: ANN001
    version_of(upload(csv_file(table())))
    assert version_of(upload(csv_file(table(seed=1)))).number == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b,churned\n", "no data rows"),
        (b"a,b,churned\n1,2,0\n3,4\n", "line 3"),
        (b"a,a,churned\n1,2,0\n", "a"),
    ],
)
def test_a_bad_file_fails_the_job_with_the_reason_and_stores_nothing(
    upload, content: bytes, message: str
) -> None:  # noqa: ANN001
    job = upload(SimpleUploadedFile("bad.csv", content))
    assert job.status == "failed"
    assert message.lower() in job.error.lower()
    assert not DatasetVersion.objects.exists()
    assert _stored_files() == []


def test_a_missing_target_column_is_refused_for_training_data(upload) -> None:  # noqa: ANN001
    job = upload(csv_file(table().drop(columns=["churned"])))
    assert job.status == "failed"
    assert "churned" in job.error
    assert not DatasetVersion.objects.exists()


def test_a_production_batch_may_come_without_labels(upload) -> None:  # noqa: ANN001
    import datetime as dt

    job = upload(
        csv_file(table().drop(columns=["churned"])),
        role="production",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
    )
    assert version_of(job).role == "production"


def test_the_request_refuses_what_it_can_see_at_once(problem, owner) -> None:  # noqa: ANN001
    cases = [
        (SimpleUploadedFile("empty.csv", b""), "file"),
        (SimpleUploadedFile("x.csv", b"\x80\x04\x95pickle"), "file"),
        (SimpleUploadedFile("x.csv", b"PK\x03\x04zipped"), "file"),
    ]
    for uploaded, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.dataset_upload_start(
                problem=problem, user=owner, name="d", role="train", uploaded=uploaded
            )
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.dataset_upload_start(
            problem=problem, user=owner, name="d", role="production", uploaded=csv_file(table())
        )
    assert "period_start" in exc.value.message_dict
    assert _stored_files() == []


def test_a_leaked_feature_is_flagged(upload) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table(leak=True))))
    leaks = [w for w in version.warnings if "leak" in w["code"]]
    assert leaks
    assert leaks[0]["column"] == "cancel_reason_filled"


def test_test_rows_that_appear_in_training_are_flagged(upload) -> None:  # noqa: ANN001
    train = table(rows=300)
    version_of(upload(csv_file(train)))
    test_rows = pd.concat([train.iloc[:20], table(rows=80, seed=3)])
    version = version_of(
        upload(csv_file(test_rows, name="test.csv"), name="customers-test", role="test")
    )
    overlap = [w for w in version.warnings if "overlap" in w["code"]]
    assert overlap
    assert overlap[0]["severity"] == "critical"
    assert "20" in overlap[0]["message"]


def test_evaluations_against_a_test_set_are_counted(upload) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table()), role="test"))
    assert services.dataset_version_record_evaluation(version=version) == 1
    assert services.dataset_version_record_evaluation(version=version) == 2


def test_the_sweeper_removes_orphans_but_keeps_live_files(upload) -> None:  # noqa: ANN001
    import datetime as dt

    version = version_of(upload(csv_file(table())))
    fs = storage.dataset_storage()
    fs.save("staging/orphan.csv", SimpleUploadedFile("o.csv", b"a\n1\n"))
    fs.save("versions/orphan.parquet", SimpleUploadedFile("o.parquet", b"x"))
    counts = services.storage_sweep(older_than=dt.timedelta(seconds=-1))
    assert counts == {"staging": 1, "versions": 1}
    assert _stored_files() == [version.storage_key]


def test_drift_between_two_versions_is_stored(
    upload, owner, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    reference = version_of(upload(csv_file(table(rows=500))))
    shifted = table(rows=500, seed=2)
    shifted["spend"] = shifted["spend"] * 3
    current = version_of(upload(csv_file(shifted, name="b.csv"), role="reference"))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.drift_compare_start(reference=reference, current=current, user=owner)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    from apps.datasets.models import DriftComparison

    report = DriftComparison.objects.get().report
    spend = next(c for c in report["columns"] if c["column"] == "spend")
    assert spend["psi"] > 0.25
