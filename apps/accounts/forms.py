"""Forms for the account pages."""

from django import forms

from apps.accounts.models import Team


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What uses it, e.g. “CI upload job”.",
        widget=forms.TextInput(attrs={"placeholder": "CI upload job", "autocomplete": "off"}),
    )
    read_only = forms.BooleanField(
        required=False, help_text="Read-only tokens can fetch results but not upload or change."
    )


class TeamSwitchForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), to_field_name="slug")

    def __init__(self, *args: object, teams: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
