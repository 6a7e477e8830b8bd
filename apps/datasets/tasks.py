"""Dataset background work: ingest, profile, drift, and the storage sweeper."""

from celery import shared_task

from apps.core.jobs import Progress, job_task
from apps.core.models import Job
from apps.datasets import services
from apps.datasets.models import DatasetVersion


@job_task(services.INGEST_KIND)
def dataset_ingest_task(job: Job, progress: Progress) -> dict:
    """Validate an uploaded table, store it as a version, and profile it."""
    return services.dataset_version_ingest(job=job, progress=progress)


@job_task(services.PROFILE_KIND)
def dataset_profile_task(job: Job, progress: Progress) -> dict:
    """Profile a stored version again."""
    version = DatasetVersion.objects.select_related("dataset__problem").get(
        pk=job.params["version_id"]
    )
    try:
        services.dataset_version_profile(version=version, progress=progress)
    except Exception:
        services.dataset_version_mark_profile_failed(version_id=version.pk)
        raise
    return {"version_id": version.pk}


@job_task(services.DRIFT_KIND)
def dataset_drift_task(job: Job, progress: Progress) -> dict:
    """Compute drift statistics between two versions."""
    versions = DatasetVersion.objects.select_related("dataset__problem")
    comparison = services.drift_compare(
        reference=versions.get(pk=job.params["reference_id"]),
        current=versions.get(pk=job.params["current_id"]),
        progress=progress,
    )
    return {"comparison_id": comparison.pk}


@shared_task(name="datasets.storage_sweep_task")
def storage_sweep_task() -> dict[str, int]:
    """Remove staged uploads and stored files that nothing refers to any more."""
    return services.storage_sweep()
