"""Model runs: a model's scores on labelled rows, evaluated once and kept with its threshold."""

from django.conf import settings
from django.db import models


class RunKind(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded predictions"


class RunStatus(models.TextChoices):
    EVALUATING = "evaluating", "Evaluating"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ModelRun(models.Model):
    """One model's predictions for a binary problem, stored as Parquet, with its evaluation.

    The evaluation (metrics, the ≤500-point threshold sweep, costs) and its bootstrap
    intervals are computed once by a job; the threshold page reads only the stored sweep.
    A run exists only once its file passed validation: a bad file leaves no run behind.
    """

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="runs")
    name = models.CharField(max_length=100)
    model_version = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.UPLOADED)
    dataset_version = models.ForeignKey(
        "datasets.DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    status = models.CharField(
        max_length=20, choices=RunStatus.choices, default=RunStatus.EVALUATING
    )
    original_filename = models.CharField(max_length=255)
    storage_key = models.CharField(max_length=100, unique=True)
    # {"y_true": <column>, "score": <column>} as mapped at upload.
    columns = models.JSONField(default=dict)
    rows = models.PositiveBigIntegerField()
    # BinaryEvaluation.to_dict() at threshold 0.5, plus the costs it used.
    evaluation = models.JSONField(null=True, blank=True)
    # BootstrapIntervals.to_dict() at threshold 0.5.
    intervals = models.JSONField(null=True, blank=True)
    # Coverage / quality / cost per confidence cut-off (≤ 200 points) at the threshold of
    # the evaluation; null for runs evaluated before abstention existed.
    abstention = models.JSONField(null=True, blank=True)
    # Per-segment metrics at `threshold` for the upload's segment columns (see
    # services.run_segments_compute); null when the upload named no segment column.
    segments = models.JSONField(null=True, blank=True)
    threshold = models.FloatField(default=0.5)
    threshold_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    threshold_reason = models.TextField(blank=True)
    threshold_set_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["problem", "-created_at"], name="run_problem_recent")]

    def __str__(self) -> str:
        return f"{self.name} {self.model_version}".strip()
