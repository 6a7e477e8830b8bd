"""Run forms: upload predictions with an optional column mapping; save a threshold."""

from django import forms

from apps.core.forms import StyledFormMixin
from apps.datasets.models import DatasetVersion


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
