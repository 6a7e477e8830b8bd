"""Problem definitions: what the ML product is for, what a wrong decision costs, what exists."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class TaskType(models.TextChoices):
    BINARY = "binary", "Binary classification"
    MULTICLASS = "multiclass", "Multiclass classification"
    REGRESSION = "regression", "Regression"


class PrimaryMetric(models.TextChoices):
    ROC_AUC = "roc_auc", "ROC AUC"
    PR_AUC = "pr_auc", "PR AUC (average precision)"
    F1 = "f1", "F1"
    PRECISION = "precision", "Precision"
    RECALL = "recall", "Recall"
    ACCURACY = "accuracy", "Accuracy"
    BALANCED_ACCURACY = "balanced_accuracy", "Balanced accuracy"
    LOG_LOSS = "log_loss", "Log loss"
    EXPECTED_COST = "expected_cost", "Expected cost per decision"
    MACRO_F1 = "macro_f1", "Macro F1"
    MAE = "mae", "MAE"
    RMSE = "rmse", "RMSE"
    R2 = "r2", "R²"
    MAPE = "mape", "MAPE"


METRICS_FOR_TASK = {
    TaskType.BINARY: [
        "roc_auc",
        "pr_auc",
        "f1",
        "precision",
        "recall",
        "accuracy",
        "balanced_accuracy",
        "log_loss",
        "expected_cost",
    ],
    TaskType.MULTICLASS: ["macro_f1", "accuracy", "balanced_accuracy", "log_loss"],
    TaskType.REGRESSION: ["mae", "rmse", "r2", "mape"],
}


class FallbackKind(models.TextChoices):
    HUMAN_REVIEW = "human_review", "Human review"
    DEFAULT_ACTION = "default_action", "A default action"
    EXISTING_SYSTEM = "existing_system", "The existing system"
    NONE = "none", "No fallback"


class ProblemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"


def _money() -> models.DecimalField:
    return models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )


def _rate() -> models.FloatField:
    return models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )


class Problem(models.Model):
    """A problem an ML product is meant to solve, stated precisely enough to price mistakes.

    The hub every dataset, run, monitor, checklist and review of the problem hangs off.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="problems")
    # Overview
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    desired_outcome = models.TextField(blank=True)
    # Decision and users
    decision = models.TextField(blank=True)
    affected_users = models.TextField(blank=True)
    # Task and metric
    task_type = models.CharField(max_length=20, choices=TaskType.choices, default=TaskType.BINARY)
    target_column = models.CharField(max_length=200, blank=True)
    positive_label = models.CharField(max_length=200, blank=True)
    primary_metric = models.CharField(max_length=30, choices=PrimaryMetric.choices, blank=True)
    metric_rationale = models.TextField(blank=True)
    # Costs and volume
    currency = models.CharField(max_length=3, default="USD")
    cost_fp = _money()
    cost_fn = _money()
    value_tp = _money()
    value_tn = _money()
    decisions_per_month = models.PositiveIntegerField(null=True, blank=True)
    positive_rate = _rate()
    # Existing solution and the non-ML MVP
    existing_solution = models.TextField(blank=True)
    existing_performance = models.TextField(blank=True)
    existing_tpr = _rate()
    existing_fpr = _rate()
    non_ml_mvp = models.TextField(blank=True)
    # Data
    data_sources = models.TextField(blank=True)
    label_availability = models.TextField(blank=True)
    # Fallback when the model is not confident
    fallback_kind = models.CharField(max_length=20, choices=FallbackKind.choices, blank=True)
    fallback_description = models.TextField(blank=True)
    fallback_capacity_per_month = models.PositiveIntegerField(null=True, blank=True)
    fallback_cost_per_case = _money()
    # Segments, ownership, status
    critical_segments = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
    )
    status = models.CharField(
        max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["team", "-updated_at"], name="problem_team_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def segment_list(self) -> list[str]:
        return [line.strip() for line in self.critical_segments.splitlines() if line.strip()]


class RevisionSource(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"


class ProblemRevision(models.Model):
    """One field of a problem changed: who, when, through what, from what to what."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="revisions")
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=RevisionSource.choices)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["problem", "-changed_at"], name="revision_problem_recent")]

    def __str__(self) -> str:
        return f"{self.problem_id}.{self.field} by {self.changed_by_id}"

    @property
    def field_label(self) -> str:
        from apps.problems.sections import FIELD_LABELS

        return FIELD_LABELS.get(self.field, self.field)
