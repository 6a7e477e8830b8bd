"""Monitor forms: a monitor (three kinds), a production batch upload, a channel."""

from django import forms

from apps.core.forms import StyledFormMixin
from apps.monitors.models import ChannelKind, Direction, Mode, MonitorKind
from apps.runs.metrics import metrics_for_task


class MonitorForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=MonitorKind.choices, initial=MonitorKind.THRESHOLD)
    target_run = forms.ModelChoiceField(
        queryset=None,
        label="Deployed run",
        help_text="Its production batches are checked; until one arrives, its own evaluation.",
    )
    metric = forms.ChoiceField(
        required=False, help_text="Break-even: accuracy or recall. Drift uses PSI."
    )
    segment_column = forms.CharField(max_length=100, required=False, label="Segment column")
    segment_value = forms.CharField(max_length=200, required=False, label="Segment value")
    direction = forms.ChoiceField(
        choices=[("", "The metric's own")] + list(Direction.choices), required=False
    )
    threshold = forms.FloatField(required=False)
    warning_band = forms.FloatField(
        required=False, help_text="Warn while the value is within this distance of the line."
    )
    baseline_run = forms.ModelChoiceField(queryset=None, required=False, label="Baseline run")
    min_abs_change = forms.FloatField(required=False, label="Minimum absolute change")
    min_rel_change = forms.FloatField(
        required=False, label="Minimum relative change", help_text="0–1, of |baseline|."
    )
    mode = forms.ChoiceField(choices=Mode.choices, initial=Mode.SUPERIORITY)
    reference_version = forms.ModelChoiceField(
        queryset=None, required=False, label="Reference version"
    )
    drift_columns = forms.CharField(
        max_length=2000, required=False, label="Columns", help_text="Comma-separated."
    )
    psi_warn = forms.FloatField(initial=0.1, label="PSI warning")
    psi_drift = forms.FloatField(initial=0.25, label="PSI drift")
    p_value = forms.FloatField(initial=0.01, label="p-value below")
    check_interval_minutes = forms.IntegerField(
        min_value=1, initial=60, label="Check every (minutes)"
    )
    active = forms.BooleanField(
        required=False, initial=True, label="Active (untick to pause checks and notifications)"
    )

    def __init__(
        self, *args: object, runs: object, versions: object, task: str, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_run"].queryset = runs
        self.fields["baseline_run"].queryset = runs
        self.fields["reference_version"].queryset = versions
        self.fields["metric"].choices = [("", "—")] + [
            (m.key, m.label) for m in metrics_for_task(task)
        ]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["drift_columns"] = [
            c.strip() for c in (data.get("drift_columns") or "").split(",") if c.strip()
        ]
        return data


class BatchUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        help_text="CSV or Parquet: the true value and the score per row (plus any feature "
        "columns drift monitors compare).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.parquet,.pq"}),
    )
    label = forms.CharField(
        max_length=100, required=False, help_text="e.g. “week 48”.", label="Batch label"
    )
    y_true_column = forms.CharField(max_length=200, required=False, label="True-value column")
    score_column = forms.CharField(max_length=200, required=False, label="Score column")


class ChannelForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=ChannelKind.choices)
    target = forms.CharField(
        max_length=500, help_text="An e-mail address, or the webhook's http(s) URL."
    )
