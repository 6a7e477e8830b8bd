"""Dataset forms: upload a file as a new version; pick two versions to compare."""

from django import forms

from apps.core.forms import StyledFormMixin
from apps.datasets.models import DatasetVersion, Role


class DatasetUploadForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Dataset",
        help_text="New or existing name, e.g. “patients”. Each upload becomes its next version.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.TRAIN)
    period_start = forms.DateField(
        required=False, label="Period from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        required=False, label="Period to", widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        help_text="CSV (comma, semicolon or tab, UTF-8) or Parquet.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.parquet,.pq"}),
    )


class DriftForm(StyledFormMixin, forms.Form):
    reference = forms.ModelChoiceField(queryset=DatasetVersion.objects.none(), label="Reference")
    current = forms.ModelChoiceField(queryset=DatasetVersion.objects.none(), label="Compared with")

    def __init__(self, *args: object, versions: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].queryset = versions
        self.fields["current"].queryset = versions
