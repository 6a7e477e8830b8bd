"""Run forms: upload predictions with an optional column mapping; save a threshold."""

from django import forms

from apps.core.forms import StyledFormMixin
from apps.datasets.models import DatasetVersion
from apps.runs.models import GateBaseline, ReferenceKind


class RunUploadForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=100, label="Model", help_text="e.g. “gbm-baseline”.")
    model_version = forms.CharField(max_length=100, required=False, label="Version")
    file = forms.FileField(
        help_text="CSV or Parquet with one row per prediction: the true value and the score.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.parquet,.pq"}),
    )
    y_true_column = forms.CharField(
        max_length=200,
        required=False,
        label="True-value column",
        help_text="Blank: the problem's target column, or one named label/target/y/actual.",
    )
    score_column = forms.CharField(
        max_length=200,
        required=False,
        label="Score column",
        help_text="Blank: a column named score/proba/probability/prediction/p.",
    )
    proba_columns = forms.CharField(
        max_length=2000,
        required=False,
        label="Probability columns",
        help_text="Multiclass: one column per class, e.g. “proba_cat, proba_dog” (blank: "
        "columns named proba_<class>); without them the score column holds predicted classes.",
    )
    segment_columns = forms.CharField(
        max_length=1000,
        required=False,
        label="Segment columns",
        help_text="Optional, comma-separated, e.g. “country, plan”: metrics per value of each.",
    )
    dataset_version = forms.ModelChoiceField(
        queryset=DatasetVersion.objects.none(),
        required=False,
        label="Scored on",
        help_text="The dataset version the predictions are for (test/holdout use is counted).",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reference_kind = forms.ChoiceField(
        choices=[("", "A model (a candidate, checked against the gates)")]
        + list(ReferenceKind.choices),
        required=False,
        label="Whose predictions",
        help_text="Or an external reference's decisions on the same rows: a human expert, "
        "the existing system…, evaluated alike and shown on the leaderboard.",
    )
    source = forms.CharField(
        max_length=500, required=False, help_text="For a reference: who decided, and how."
    )

    def __init__(
        self, *args: object, versions: object, task: str = "binary", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset_version"].queryset = versions
        score = self.fields["score_column"]
        if task == "regression":
            score.label = "Prediction column"
            score.help_text = "Blank: a column named prediction/y_pred/pred/forecast/estimate."
        elif task == "multiclass":
            score.label = "Predicted-class column"
            score.help_text = "Only when there are no probability columns: the predicted class."
        if task != "multiclass":
            del self.fields["proba_columns"]


class ThresholdForm(StyledFormMixin, forms.Form):
    threshold = forms.FloatField(min_value=0.0, max_value=1.0)
    reason = forms.CharField(
        max_length=2000,
        label="Why this threshold",
        widget=forms.TextInput(attrs={"placeholder": "e.g. recall ≥ 0.9 at a cost ops accepts"}),
    )


class BaselineTrainForm(StyledFormMixin, forms.Form):
    train_version = forms.ModelChoiceField(
        queryset=DatasetVersion.objects.none(),
        label="Train on",
        help_text="The models are fitted on this version only.",
    )
    eval_version = forms.ModelChoiceField(
        queryset=DatasetVersion.objects.none(),
        label="Evaluate on",
        help_text="Validation, or test/holdout (each use of a test set is counted).",
    )
    automl = forms.BooleanField(
        required=False, initial=True, label="Run AutoML-lite (a search over pipelines)"
    )
    automl_budget_s = forms.IntegerField(
        min_value=5,
        max_value=1800,
        initial=60,
        label="AutoML time budget (seconds)",
    )
    include_forest = forms.BooleanField(
        required=False,
        label="Also train a random forest",
        help_text="About 20× slower than gradient boosting here, and rarely better.",
    )
    exclude_columns = forms.CharField(
        max_length=2000,
        required=False,
        label="Columns to leave out",
        help_text="Comma-separated: ids, and anything not known at decision time.",
    )

    def __init__(self, *args: object, versions: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["train_version"].queryset = versions
        self.fields["eval_version"].queryset = versions
        by_role = {}
        for version in versions:
            by_role.setdefault(version.role, version)
        if "train" in by_role:
            self.fields["train_version"].initial = by_role["train"].pk
        for role in ("validation", "test", "holdout"):
            if role in by_role:
                self.fields["eval_version"].initial = by_role[role].pk
                break


class ReferenceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. “Senior radiologists (2023 audit)”.")
    reference_kind = forms.ChoiceField(choices=ReferenceKind.choices, label="Kind")
    source = forms.CharField(
        max_length=500, required=False, help_text="The citation, or who measured it and how."
    )
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    date = forms.CharField(max_length=40, required=False, help_text="When it was measured.")
    sample_size = forms.IntegerField(required=False, min_value=1, label="Sample size")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, metrics: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.metric_rows = []
        for metric in metrics:
            row = []
            for part in ("value", "low", "high"):
                name = f"{metric.key}__{part}"
                self.fields[name] = forms.FloatField(
                    required=False,
                    label=metric.label if part == "value" else f"{part} of the 95 % interval",
                )
                row.append(name)
            self.metric_rows.append((metric, row))

    def metric_values(self) -> dict:
        out = {}
        for metric, names in self.metric_rows:
            entry = {name.split("__")[1]: self.cleaned_data.get(name) for name in names}
            if any(v is not None for v in entry.values()):
                out[metric.key] = entry
        return out


class GateForm(StyledFormMixin, forms.Form):
    metric = forms.ChoiceField(choices=())
    threshold = forms.FloatField(required=False, help_text="Blank: no absolute line.")
    baseline = forms.ChoiceField(choices=GateBaseline.choices, required=False)
    baseline_run = forms.ModelChoiceField(queryset=None, required=False, label="Chosen run")
    min_abs_change = forms.FloatField(
        required=False, label="Minimum absolute change", help_text="> 0, in the metric's units."
    )
    min_rel_change = forms.FloatField(
        required=False,
        label="Minimum relative change",
        help_text="0–1, a share of |baseline| (so negative R² works).",
    )
    mode = forms.ChoiceField(
        choices=[
            ("superiority", "Superiority: must beat the baseline by the margin"),
            ("non_inferiority", "Non-inferiority: may be worse by at most the margin"),
        ]
    )

    def __init__(self, *args: object, metrics: list, runs: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.key, m.label) for m in metrics]
        self.fields["baseline_run"].queryset = runs
