"""Monitors: rules watched over a deployed run's production batches, their check history,
and the team's notification channels with every delivery attempt."""

from django.conf import settings
from django.db import models

SPARK_POINTS = 20


class MonitorKind(models.TextChoices):
    THRESHOLD = "threshold", "Threshold"
    BREAK_EVEN = "break_even", "Break-even (value floor)"
    DRIFT = "drift", "Drift"


class CheckState(models.TextChoices):
    OK = "ok", "OK"
    WARN = "warn", "Warning"
    BREACH = "breach", "Breach"
    NO_DATA = "no_data", "No data"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Mode(models.TextChoices):
    SUPERIORITY = "superiority", "Superiority (must beat it)"
    NON_INFERIORITY = "non_inferiority", "Non-inferiority (no worse than it by more than)"


class CheckTrigger(models.TextChoices):
    BATCH = "batch", "New batch"
    SCHEDULE = "schedule", "Schedule"
    RUN = "run", "New run"
    MANUAL = "manual", "Checked by hand"
    CREATED = "created", "Monitor saved"


class Monitor(models.Model):
    """One rule (mlcore.rules semantics) watched over a deployed run and its batches.

    `state` is the state of the latest check; a check that changes it notifies the team's
    channels once. Threshold monitors read a catalogue metric (optionally on one segment);
    break-even monitors compute their line from the problem's costs at every check; drift
    monitors compare columns of each batch with a reference dataset version.
    """

    problem = models.ForeignKey(
        "problems.Problem", on_delete=models.CASCADE, related_name="monitors"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(
        max_length=20, choices=MonitorKind.choices, default=MonitorKind.THRESHOLD
    )
    # The deployed run whose production batches are checked (its own evaluation until a
    # batch arrives).
    target_run = models.ForeignKey(
        "runs.ModelRun", on_delete=models.CASCADE, related_name="monitors_watching"
    )
    metric = models.CharField(max_length=30, blank=True)
    segment_column = models.CharField(max_length=100, blank=True)
    segment_value = models.CharField(max_length=200, blank=True)
    # Blank: the catalogue's direction for the metric.
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    warning_band = models.FloatField(null=True, blank=True)
    baseline_run = models.ForeignKey(
        "runs.ModelRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitors_comparing",
    )
    min_abs_change = models.FloatField(null=True, blank=True)
    min_rel_change = models.FloatField(null=True, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.SUPERIORITY)
    # Drift: the reference version, the columns compared and the PSI / p-value rule.
    reference_version = models.ForeignKey(
        "datasets.DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitors",
    )
    drift_columns = models.JSONField(default=list, blank=True)
    psi_warn = models.FloatField(default=0.1)
    psi_drift = models.FloatField(default=0.25)
    p_value = models.FloatField(default=0.01)
    check_interval_minutes = models.PositiveIntegerField(default=60)
    active = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.NO_DATA)
    last_value = models.FloatField(null=True, blank=True)
    # The last SPARK_POINTS checks as [value, state] pairs, oldest first: the dashboard's
    # sparklines read this row instead of ranking the whole check history.
    recent = models.JSONField(default=list, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["problem", "name", "id"]
        indexes = [models.Index(fields=["problem", "state"], name="monitor_problem_state")]

    def __str__(self) -> str:
        return self.name

    @property
    def metric_label(self) -> str:
        from apps.runs.metrics import METRICS

        if self.kind == MonitorKind.DRIFT:
            return "Largest PSI"
        metric = METRICS.get(self.metric)
        return metric.label if metric else self.metric


class BatchStatus(models.TextChoices):
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ProductionBatch(models.Model):
    """Labelled production predictions of a deployed run, stored as Parquet and evaluated.

    Exists only once its file passed validation (the upload job creates it), so a bad
    file leaves nothing behind. `evaluation` has the same shape as a run's, so the metric
    catalogue reads a batch exactly like a run.
    """

    run = models.ForeignKey("runs.ModelRun", on_delete=models.CASCADE, related_name="batches")
    label = models.CharField(max_length=100, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    storage_key = models.CharField(max_length=100, unique=True)
    columns = models.JSONField(default=dict)
    # Feature columns kept for drift monitors (names as in the file).
    feature_columns = models.JSONField(default=list, blank=True)
    rows = models.PositiveBigIntegerField(default=0)
    evaluation = models.JSONField(null=True, blank=True)
    # {"<column>=<value>": evaluation of that segment's rows}, filled when first needed.
    segment_evaluations = models.JSONField(default=dict, blank=True)
    job = models.OneToOneField(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["run", "-created_at"], name="batch_run_recent")]

    def __str__(self) -> str:
        return self.label or f"Batch {self.pk}"


class Check(models.Model):
    """One evaluation of a monitor: the value, the lines it was held to, state and why."""

    monitor = models.ForeignKey(Monitor, on_delete=models.CASCADE, related_name="checks")
    batch = models.ForeignKey(
        ProductionBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    trigger = models.CharField(max_length=10, choices=CheckTrigger.choices)
    state = models.CharField(max_length=10, choices=CheckState.choices)
    previous_state = models.CharField(max_length=10, choices=CheckState.choices, blank=True)
    value = models.FloatField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    # The lines the value was held to at that moment (break-even lines move with costs).
    threshold_line = models.FloatField(null=True, blank=True)
    warning_line = models.FloatField(null=True, blank=True)
    baseline_line = models.FloatField(null=True, blank=True)
    sentence = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)
    # Break-even explanation and inputs, drift per-column statistics.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["monitor", "-created_at"], name="check_monitor_recent")]
        constraints = [
            # A redelivered batch check finds its row and stops: one row per batch.
            models.UniqueConstraint(
                fields=["monitor", "batch"],
                condition=models.Q(trigger="batch"),
                name="check_one_per_monitor_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.monitor_id}: {self.state} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def changed(self) -> bool:
        return bool(self.previous_state) and self.previous_state != self.state


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class Channel(models.Model):
    """Where a team's monitor state changes are sent: an e-mail address or a webhook URL."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="monitor_channels"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    target = models.CharField(max_length=500)
    # Webhooks: the HMAC-SHA256 key of the X-Preflight-Signature header.
    secret = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused"


class Notification(models.Model):
    """One message to one channel about one state change (or a test): its delivery state."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="notifications")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    check_row = models.ForeignKey(
        Check, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    is_test = models.BooleanField(default=False)
    previous_state = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"], name="notification_team_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "check_row"],
                condition=models.Q(check_row__isnull=False),
                name="notification_one_per_channel_check",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.previous_state}→{self.state}: {self.status}"


class DeliveryAttempt(models.Model):
    """One try at delivering a notification: when, what came back, how long it took."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    ok = models.BooleanField(default=False)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "number"], name="delivery_attempt_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} #{self.number}: {'ok' if self.ok else 'failed'}"
