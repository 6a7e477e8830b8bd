"""Writes for datasets: start an upload, ingest it (validate, store, version), profile it,
count evaluations, compare versions, sweep orphaned files."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from apps.accounts.models import User
from apps.core import services as job_services
from apps.core.jobs import JobDataError, Progress
from apps.core.models import Job, JobStatus
from apps.datasets import storage
from apps.datasets.models import (
    EVALUATION_ROLES,
    Dataset,
    DatasetVersion,
    DriftComparison,
    Role,
    VersionStatus,
)
from apps.datasets.uploads import upload_too_large_message
from apps.problems.models import Problem
from mlcore import drift, profile, tabular

logger = logging.getLogger(__name__)

INGEST_KIND = "dataset_ingest"
PROFILE_KIND = "dataset_profile"
DRIFT_KIND = "dataset_drift"
HEAD_BYTES = 64 * 1024
# Roles whose rows must carry the true outcome.
LABELLED_ROLES = (Role.TRAIN, Role.VALIDATION, Role.TEST, Role.HOLDOUT)


def read_limits() -> tabular.ReadLimits:
    return tabular.ReadLimits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_columns=settings.UPLOAD_MAX_COLUMNS,
        max_parquet_uncompressed_bytes=settings.UPLOAD_MAX_PARQUET_UNCOMPRESSED_BYTES,
    )


def check_upload(uploaded: UploadedFile, filename: str) -> None:
    """Refuse in the request what can be judged from the size and the first bytes."""
    if uploaded.size == 0:
        raise ValidationError({"file": "The file is empty."})
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": upload_too_large_message()})
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    try:
        tabular.detect_format(head, filename)
    except tabular.TableError as exc:
        raise ValidationError({"file": exc.message}) from exc


def _check_role_period(role: str, period_start: dt.date | None, period_end: dt.date | None) -> None:
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role “{role}”: use one of {', '.join(Role.values)}."}
        )
    if role == Role.PRODUCTION and not (period_start and period_end):
        raise ValidationError({"period_start": "A production batch needs the period it covers."})
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": "The period ends before it starts."})


def dataset_upload_start(
    *,
    problem: Problem,
    user: User,
    name: str,
    role: str,
    uploaded: UploadedFile,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    description: str = "",
) -> Job:
    """Stage an uploaded file and start the job that validates, stores and profiles it."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the dataset a name, e.g. “payments”."})
    filename = (uploaded.name or "upload").rsplit("/", 1)[-1]
    _check_role_period(role, period_start, period_end)
    check_upload(uploaded, filename)
    key = storage.stage_upload(uploaded, filename)
    params = {
        "problem_id": problem.pk,
        "user_id": user.pk,
        "name": name,
        "description": description,
        "role": role,
        "period_start": period_start.isoformat() if period_start else None,
        "period_end": period_end.isoformat() if period_end else None,
        "filename": filename,
        "staging_key": key,
        "size": uploaded.size,
    }
    return job_services.job_create(
        team=problem.team,
        kind=INGEST_KIND,
        title=f"Upload {filename} to {name} ({Role(role).label.lower()})",
        params=params,
        user=user,
    )


def dataset_version_ingest(*, job: Job, progress: Progress) -> dict:
    """Validate the staged file, store it as Parquet, create the version, then profile it.

    Nothing is half-stored: a bad file leaves no version and no file behind; the same
    file uploaded twice to one dataset gives back the existing version.
    """
    p = job.params
    problem = Problem.objects.get(pk=p["problem_id"])
    progress(3, "Checking the file")
    try:
        with storage.local_path(p["staging_key"]) as path:
            sha256 = tabular.content_sha256(path)
            existing = DatasetVersion.objects.filter(
                dataset__problem=problem, dataset__name=p["name"], sha256=sha256
            ).first()
            if existing is not None:
                storage.delete_quietly(p["staging_key"])
                progress(100, "This exact file is already stored")
                return _ingest_result(existing, duplicate=True)
            progress(10, "Reading and validating every row")
            frame = tabular.read_table(path, filename=p["filename"], limits=read_limits())
            if problem.target_column and p["role"] in LABELLED_ROLES:
                tabular.require_target(frame, problem.target_column)
    except tabular.TableError as exc:
        storage.delete_quietly(p["staging_key"])
        raise JobDataError(exc.located_message()) from exc
    except FileNotFoundError as exc:
        raise JobDataError("The uploaded file is no longer available; upload it again.") from exc
    progress(35, f"Storing {len(frame):,} rows as Parquet")
    version = _store_version(problem, p, frame, sha256, job)
    storage.delete_quietly(p["staging_key"])
    try:
        dataset_version_profile(version=version, progress=progress, start=50, frame=frame)
    except (job_services.JobCancelled, job_services.JobLost):
        raise
    except Exception:
        # The table itself is valid and stored; only its profile is missing.
        dataset_version_mark_profile_failed(version_id=version.pk)
        raise
    version.refresh_from_db()
    return _ingest_result(version, duplicate=False)


def _ingest_result(version: DatasetVersion, *, duplicate: bool) -> dict:
    return {
        "version_id": version.pk,
        "dataset": version.dataset.name,
        "number": version.number,
        "rows": version.rows,
        "columns": version.column_count,
        "duplicate": duplicate,
        "warnings": version.warning_counts,
    }


def _store_version(
    problem: Problem, p: dict, frame, sha256: str, job: Job | None
) -> DatasetVersion:  # noqa: ANN001
    key, stored_bytes = storage.write_parquet(frame)
    try:
        with transaction.atomic():
            dataset, _ = Dataset.objects.get_or_create(
                problem=problem,
                name=p["name"],
                defaults={"created_by_id": p["user_id"], "description": p.get("description", "")},
            )
            Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
            number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            return DatasetVersion.objects.create(
                dataset=dataset,
                number=number,
                role=p["role"],
                period_start=p.get("period_start"),
                period_end=p.get("period_end"),
                original_filename=p["filename"],
                source_format=p["filename"].rsplit(".", 1)[-1].lower()[:10],
                source_bytes=p["size"],
                sha256=sha256,
                storage_key=key,
                stored_bytes=stored_bytes,
                rows=len(frame),
                column_count=len(frame.columns),
                schema=[{"name": str(c), "dtype": str(t)} for c, t in frame.dtypes.items()],
                uploaded_by_id=p["user_id"],
                job=job,
            )
    except IntegrityError:
        # A concurrent upload of the same file won: keep its version, drop our copy.
        storage.delete_quietly(key)
        return DatasetVersion.objects.get(
            dataset__problem=problem, dataset__name=p["name"], sha256=sha256
        )
    except Exception:
        storage.delete_quietly(key)
        raise


def dataset_version_create_from_frame(
    *,
    problem: Problem,
    user: User,
    name: str,
    role: str,
    frame,
    filename: str,  # noqa: ANN001
) -> DatasetVersion:
    """Store a table built in code (the demo seed) as a profiled version, synchronously."""
    import hashlib

    sha256 = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    existing = DatasetVersion.objects.filter(
        dataset__problem=problem, dataset__name=name, sha256=sha256
    ).first()
    if existing is not None:
        return existing
    params = {"user_id": user.pk, "name": name, "role": role, "filename": filename, "size": 0}
    version = _store_version(problem, params, frame, sha256, job=None)
    return dataset_version_profile(version=version, progress=lambda percent, message: None)


def _training_frame_for(version: DatasetVersion):  # noqa: ANN202
    """The problem's latest train version (for overlap checks), if another one exists."""
    train = (
        DatasetVersion.objects.filter(
            dataset__problem_id=version.dataset.problem_id, role=Role.TRAIN
        )
        .exclude(pk=version.pk)
        .order_by("-created_at")
        .first()
    )
    if train is None:
        return None, None
    return train, storage.read_parquet(train.storage_key)


def dataset_version_profile(
    *,
    version: DatasetVersion,
    progress: Progress,
    start: float = 0,
    frame=None,  # noqa: ANN001
) -> DatasetVersion:
    """Profile a stored version (and check test/holdout rows against the training data)."""
    span = 100 - start

    def scaled(percent: float, message: str) -> None:
        progress(start + span * 0.9 * percent / 100, message)

    if frame is None:
        scaled(0, "Loading the stored table")
        frame = storage.read_parquet(version.storage_key)
    problem = version.dataset.problem
    target = problem.target_column if problem.target_column in frame.columns else None
    result = profile.profile_table(frame, target=target, on_progress=scaled)
    warnings = [w.to_dict() for w in result.warnings]
    if version.role in EVALUATION_ROLES:
        progress(start + span * 0.93, "Checking for rows shared with the training data")
        train, train_frame = _training_frame_for(version)
        if train is not None:
            shared = profile.row_overlap(train_frame, frame)
            warning = profile.overlap_warning(shared, len(frame), role=version.get_role_display())
            if warning is not None:
                warning_dict = warning.to_dict()
                warning_dict["message"] += f" (compared with {train})"
                warnings.insert(0, warning_dict)
    DatasetVersion.objects.filter(pk=version.pk).update(
        profile=result.to_dict(), warnings=warnings, status=VersionStatus.READY
    )
    progress(100, "Profile ready")
    version.refresh_from_db()
    return version


def dataset_version_mark_profile_failed(*, version_id: int) -> None:
    DatasetVersion.objects.filter(pk=version_id, status=VersionStatus.PROFILING).update(
        status=VersionStatus.PROFILE_FAILED
    )


def dataset_version_reprofile_start(*, version: DatasetVersion, user: User) -> Job:
    job = job_services.job_create(
        team=version.dataset.problem.team,
        kind=PROFILE_KIND,
        title=f"Profile {version}",
        params={"version_id": version.pk},
        user=user,
    )
    DatasetVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PROFILING, job=job)
    return job


def dataset_version_record_evaluation(*, version: DatasetVersion) -> int:
    """Count one evaluation against a test or holdout version; returns the new count."""
    DatasetVersion.objects.filter(pk=version.pk).update(evaluation_count=F("evaluation_count") + 1)
    version.refresh_from_db(fields=["evaluation_count"])
    return version.evaluation_count


def drift_compare_start(*, reference: DatasetVersion, current: DatasetVersion, user: User) -> Job:
    """Start (or restart) the job that computes drift statistics between two versions."""
    if reference.pk == current.pk:
        raise ValidationError({"current": "Pick two different versions to compare."})
    if reference.dataset.problem_id != current.dataset.problem_id:
        raise ValidationError({"current": "Both versions must belong to the same problem."})
    return job_services.job_create(
        team=reference.dataset.problem.team,
        kind=DRIFT_KIND,
        title=f"Drift: {reference} → {current}",
        params={"reference_id": reference.pk, "current_id": current.pk},
        user=user,
    )


def drift_compare(
    *, reference: DatasetVersion, current: DatasetVersion, progress: Progress
) -> DriftComparison:
    """Compute per-column drift statistics and store them for the pair."""
    progress(5, "Loading both versions")
    shared = [
        c["name"] for c in reference.schema if c["name"] in {s["name"] for s in current.schema}
    ]
    ref_frame = storage.read_parquet(reference.storage_key, columns=shared)
    cur_frame = storage.read_parquet(current.storage_key, columns=shared)
    progress(30, f"Comparing {len(shared)} shared columns")
    report = drift.drift_report(ref_frame, cur_frame, columns=shared)
    comparison, _ = DriftComparison.objects.update_or_create(
        reference=reference, current=current, defaults={"report": report.to_dict()}
    )
    progress(100, "Drift computed")
    return comparison


def storage_sweep(*, older_than: dt.timedelta | None = None) -> dict[str, int]:
    """Delete staged uploads no live job needs, and stored files no version points at."""
    older_than = older_than or dt.timedelta(seconds=settings.UPLOAD_ORPHAN_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    fs = storage.dataset_storage()
    live_keys = set(
        Job.objects.filter(
            kind=INGEST_KIND, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).values_list("params__staging_key", flat=True)
    )
    counts = {"staging": 0, "versions": 0}
    for folder, prefix, kind in (
        ("staging", storage.STAGING_PREFIX, "staging"),
        ("versions", storage.VERSION_PREFIX, "versions"),
    ):
        try:
            _, files = fs.listdir(folder)
        except FileNotFoundError:
            continue
        keys = [prefix + name for name in files]
        known = set(
            DatasetVersion.objects.filter(storage_key__in=keys).values_list(
                "storage_key", flat=True
            )
        )
        for key in keys:
            if key in live_keys or key in known:
                continue
            if fs.get_modified_time(key) < cutoff:
                storage.delete_quietly(key)
                counts[kind] += 1
    return counts
