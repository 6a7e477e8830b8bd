"""Forms: a short one to start a problem, and one per section of the definition."""

from decimal import Decimal

from django import forms

from apps.accounts.models import Team, User
from apps.core.forms import StyledFormMixin
from apps.problems.models import Problem
from apps.problems.sections import FIELD_HELP, FIELD_LABELS, SECTIONS_BY_KEY

TEXTAREA_ROWS = 3


def _widgets(fields: tuple[str, ...]) -> dict[str, forms.Widget]:
    widgets: dict[str, forms.Widget] = {}
    for name in fields:
        field = Problem._meta.get_field(name)
        if field.get_internal_type() == "TextField":
            widgets[name] = forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
        elif name in {"positive_rate", "existing_tpr", "existing_fpr"}:
            widgets[name] = forms.NumberInput(attrs={"step": "any", "min": 0, "max": 1})
        elif field.get_internal_type() == "DecimalField":
            widgets[name] = forms.NumberInput(attrs={"step": "any", "min": 0})
    return widgets


class ProblemSectionForm(StyledFormMixin, forms.ModelForm):
    """Base for section forms: owner choices limited to the team's members."""

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = User.objects.filter(memberships__team=team).order_by(
                "username"
            )
        for name in ("value_tp", "value_tn", "existing_tpr", "existing_fpr"):
            if name in self.fields:
                self.fields[name].required = False
        # Money is stored with 4 decimals; show 4 rather than 4.0000.
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.DecimalField) and isinstance(value, Decimal):
                self.initial[name] = format(value.normalize(), "f")


_FORM_CLASSES: dict[str, type[ProblemSectionForm]] = {}


def section_form_class(section_key: str) -> type[ProblemSectionForm]:
    """The ModelForm for one section (built once from the sections table)."""
    if section_key not in _FORM_CLASSES:
        fields = SECTIONS_BY_KEY[section_key].fields
        _FORM_CLASSES[section_key] = forms.modelform_factory(
            Problem,
            form=ProblemSectionForm,
            fields=fields,
            labels={f: FIELD_LABELS[f] for f in fields},
            help_texts={f: FIELD_HELP[f] for f in fields if f in FIELD_HELP},
            widgets=_widgets(fields),
        )
    return _FORM_CLASSES[section_key]


class ProblemCreateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["title", "summary", "task_type", "target_column", "positive_label"]
        labels = {f: FIELD_LABELS[f] for f in fields}
        help_texts = {f: FIELD_HELP[f] for f in fields if f in FIELD_HELP}
        widgets = {"summary": forms.Textarea(attrs={"rows": TEXTAREA_ROWS})}
