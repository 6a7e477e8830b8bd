"""Model runs: a model's scores on labelled rows, evaluated once and kept with its threshold."""

from django.conf import settings
from django.db import models

from apps.problems.models import TaskType


class RunKind(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded predictions"
    BASELINE = "baseline", "Trained baseline"
    EXTERNAL = "external", "External reference"


class ReferenceKind(models.TextChoices):
    """Where an external baseline comes from."""

    HUMAN_EXPERT = "human_expert", "Human expert"
    PUBLISHED = "published", "Published result"
    INDUSTRY_STANDARD = "industry_standard", "Industry standard"
    EXISTING_SYSTEM = "existing_system", "Existing system"


class RunStatus(models.TextChoices):
    EVALUATING = "evaluating", "Evaluating"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ModelRun(models.Model):
    """One model's predictions (stored as Parquet) or reference values, with its evaluation.

    Three kinds share this row so the leaderboard, gates and monitors read one table:
    uploaded predictions, baselines the ladder trained, and external references (a human
    expert, a published result…) entered as metric values with an optional file.
    The evaluation (metrics, for binary the ≤500-point threshold sweep and costs) and its
    bootstrap intervals are computed once by a job; the threshold page reads only the
    stored sweep. A run exists only once its file passed validation: a bad file leaves no
    run behind.
    """

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="runs")
    name = models.CharField(max_length=100)
    model_version = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.UPLOADED)
    # The problem's task when the run was stored ("binary", "multiclass", "regression").
    task = models.CharField(max_length=20, choices=TaskType.choices, default=TaskType.BINARY)
    # Baselines: the ladder's model key ("dummy", "one_rule"…), unique per training job so a
    # retried job cannot store a model twice.
    baseline_key = models.CharField(max_length=30, blank=True)
    # Baselines: rule text, AutoML leaderboard, robustness, timings. External references:
    # reference kind, source, link, date, sample size.
    details = models.JSONField(default=dict, blank=True)
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
    original_filename = models.CharField(max_length=255, blank=True)
    # Null only for an external reference entered without a prediction file.
    storage_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    # {"y_true": <column>, "score": <column>} as mapped at upload.
    columns = models.JSONField(default=dict)
    rows = models.PositiveBigIntegerField(default=0)
    # BinaryEvaluation.to_dict() at threshold 0.5 plus the costs it used; for multiclass
    # and regression their evaluation's to_dict(); for a reference without a file, the
    # metric values entered.
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
        constraints = [
            models.UniqueConstraint(
                fields=["job", "baseline_key"],
                condition=models.Q(kind="baseline"),
                name="run_one_baseline_per_job_model",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.model_version}".strip()

    def get_reference_kind_display(self) -> str:
        """The label of an external reference's kind (stored in `details`)."""
        kind = (self.details or {}).get("reference_kind", "")
        return dict(ReferenceKind.choices).get(kind, "External reference")


class GateBaseline(models.TextChoices):
    NONE = "", "No baseline (threshold only)"
    BEST_SIMPLE = "best_simple", "The best simple baseline (dummy, one rule, linear)"
    RUN = "run", "A chosen run or reference"


class Gate(models.Model):
    """A rule every candidate run of a problem is checked against before it may ship.

    Semantics are mlcore.rules': a threshold on the metric and/or a comparison with a
    baseline (minimum absolute change, minimum relative change over |baseline|,
    superiority or non-inferiority); ties pass. The metric's direction comes from the
    metric catalogue, so a gate cannot ask for a "higher" log loss.
    """

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="gates")
    metric = models.CharField(max_length=30)
    threshold = models.FloatField(null=True, blank=True)
    baseline = models.CharField(
        max_length=20, choices=GateBaseline.choices, blank=True, default=GateBaseline.NONE
    )
    baseline_run = models.ForeignKey(
        ModelRun, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    min_abs_change = models.FloatField(null=True, blank=True)
    min_rel_change = models.FloatField(null=True, blank=True)
    mode = models.CharField(max_length=20, default="superiority")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Gate on {self.metric} of {self.problem_id}"
