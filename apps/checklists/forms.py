"""Forms for answering one checklist item and commenting on it."""

from django import forms

from apps.checklists.models import STATES
from apps.core.forms import StyledFormMixin


class AnswerForm(StyledFormMixin, forms.Form):
    """A state from the checklist's scoring, and optional evidence (a sentence and a link)."""

    state = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an answer.",
            "invalid_choice": "“%(value)s” is not an answer to this checklist.",
        },
    )
    evidence_text = forms.CharField(required=False, max_length=2000, label="Evidence")
    evidence_url = forms.URLField(
        required=False,
        max_length=500,
        label="Link",
        assume_scheme="https",
        error_messages={"invalid": "The evidence link must be a full web address."},
    )

    def __init__(self, *args: object, scoring: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(value, label) for value, label, *_ in STATES[scoring]]


class CommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        max_length=4000,
        label="Comment",
        error_messages={"required": "Write something before posting a comment."},
    )
