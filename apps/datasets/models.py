"""Datasets and their immutable versions: stored once as Parquet, profiled, compared."""

from django.conf import settings
from django.db import models


class Dataset(models.Model):
    """A named source of rows for one problem (e.g. "payments"); its uploads are versions."""

    problem = models.ForeignKey(
        "problems.Problem", on_delete=models.CASCADE, related_name="datasets"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "name"], name="dataset_unique_name_per_problem"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TRAIN = "train", "Train"
    VALIDATION = "validation", "Validation"
    TEST = "test", "Test"
    HOLDOUT = "holdout", "Holdout"
    REFERENCE = "reference", "Reference"
    PRODUCTION = "production", "Production batch"


EVALUATION_ROLES = (Role.TEST, Role.HOLDOUT)
# Evaluations against one test set beyond which comparisons on it are flagged as suspect:
# choosing among many results on the same rows tunes the choice to those rows.
HEAVY_REUSE_AT = 5


class VersionStatus(models.TextChoices):
    PROFILING = "profiling", "Profiling"
    READY = "ready", "Ready"
    PROFILE_FAILED = "profile_failed", "Profile failed"


class DatasetVersion(models.Model):
    """One uploaded file, validated and stored as Parquet; never changed after upload.

    Test and holdout versions count every evaluation made against them, because
    reusing a test set until a model looks good is overfitting to it.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    role = models.CharField(max_length=20, choices=Role.choices)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    original_filename = models.CharField(max_length=255)
    source_format = models.CharField(max_length=10)
    source_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=100, unique=True)
    stored_bytes = models.BigIntegerField()
    rows = models.PositiveBigIntegerField()
    column_count = models.PositiveIntegerField()
    schema = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.PROFILING
    )
    profile = models.JSONField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    evaluation_count = models.PositiveIntegerField(default=0)
    # The job that last worked on this version (ingest or re-profile), for its progress bar.
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="version_unique_number"),
            models.UniqueConstraint(fields=["dataset", "sha256"], name="version_unique_content"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.name} v{self.number} ({self.get_role_display()})"

    @property
    def is_evaluation_set(self) -> bool:
        return self.role in EVALUATION_ROLES

    @property
    def heavily_reused(self) -> bool:
        return self.is_evaluation_set and self.evaluation_count > HEAVY_REUSE_AT

    @property
    def titled_warnings(self) -> list[dict]:
        """Warnings worst first, each with a readable title."""
        titled = [
            {
                **w,
                "title": WARNING_TITLES.get(w.get("code", ""), w.get("code", "").replace("_", " ")),
            }
            for w in self.warnings or []
        ]
        return sorted(titled, key=lambda w: SEVERITY_ORDER.get(w.get("severity"), 3))

    @property
    def warning_counts(self) -> dict[str, int]:
        counts = {"critical": 0, "warning": 0, "info": 0}
        for warning in self.warnings or []:
            counts[warning.get("severity", "info")] = (
                counts.get(warning.get("severity", "info"), 0) + 1
            )
        return counts


WARNING_TITLES = {
    "constant": "Constant column",
    "near_constant": "Nearly constant column",
    "id_like": "Identifier-like column",
    "high_missing": "Many missing values",
    "outliers": "Outliers",
    "class_imbalance": "Class imbalance",
    "duplicate_rows": "Duplicate rows",
    "target_leakage": "Possible target leakage",
    "leakage": "Possible target leakage",
    "train_test_overlap": "Rows shared with the training data",
    "overlap": "Rows shared with the training data",
    "target_missing": "Target values missing",
    "target_single_class": "Only one target class",
}
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


class DriftComparison(models.Model):
    """Per-column drift statistics between a reference version and a current one.

    Statistics are stored; the ok/warn/drift status is recomputed from them with the
    thresholds a user picks, so changing a threshold needs no recomputation.
    """

    reference = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="+")
    current = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="+")
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reference", "current"], name="drift_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.current}"
