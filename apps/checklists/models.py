"""Readiness checklists: versioned templates loaded from data files, and answers with evidence."""

from django.conf import settings
from django.db import models

from mlcore.checklists import YES_NO_POINTS


class Scoring(models.TextChoices):
    YES_NO = "yes_no", "Yes / partly / no"
    ML_TEST_SCORE = "ml_test_score", "ML Test Score (0 / 0.5 / 1)"


# (value, label, hint, Tabler colour) of each scoring's answer states, in the order shown.
STATES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    Scoring.YES_NO: (
        ("yes", "Yes", "Done, with evidence", "green"),
        ("partial", "Partly", "Started or incomplete", "yellow"),
        ("no", "No", "Not done", "red"),
        ("not_applicable", "N/A", "Does not apply to this problem", "secondary"),
    ),
    Scoring.ML_TEST_SCORE: (
        ("0", "0", "Not done", "red"),
        ("0.5", "0.5", "Done by hand and documented", "yellow"),
        ("1", "1", "Automated and run repeatedly", "green"),
    ),
}
STATE_LABELS: dict[str, str] = {
    value: label for states in STATES.values() for value, label, *_ in states
}
STATE_COLOURS: dict[str, str] = {
    value: colour for states in STATES.values() for value, *_, colour in states
}


def state_points(scoring: str, state: str) -> float | None:
    """The points a state earns (None: unanswered or not applicable)."""
    if not state:
        return None
    if scoring == Scoring.ML_TEST_SCORE:
        return float(state)
    return YES_NO_POINTS.get(state)


class ChecklistTemplate(models.Model):
    """One version of a checklist, as loaded from a data file in apps/checklists/data.

    A new version of the file makes new rows; checklists started on an older version keep it.
    """

    key = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=30)
    description = models.TextField(blank=True)
    scoring = models.CharField(max_length=20, choices=Scoring.choices)
    # [{"key", "title", "description"}] in display order; items refer to them by key.
    sections = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="checklist_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    """One question of a template version; `auto` names an evidence provider, if any."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60)
    section = models.SlugField(max_length=50)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    help = models.TextField(blank=True)
    auto = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="checklist_item_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.template.key}.{self.key}"


class Checklist(models.Model):
    """A problem's copy of one template: at most one per template key, pinned to its version."""

    problem = models.ForeignKey(
        "problems.Problem", on_delete=models.CASCADE, related_name="checklists"
    )
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="checklists"
    )
    # The template's key, repeated so "one checklist per key" can be a constraint.
    key = models.SlugField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template__order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "key"], name="checklist_one_per_problem_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} for problem {self.problem_id}"


class AnswerSource(models.TextChoices):
    MANUAL = "manual", "Answered by a person"
    AUTOMATIC = "automatic", "Checked by Preflight"


class Answer(models.Model):
    """The state of one item in one checklist, the evidence for it, and who gave it when.

    An empty state is "not answered yet" (the row may exist to hold comments). Automatic
    answers are rewritten from their provider until a person answers (source → manual).
    """

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    state = models.CharField(max_length=20, blank=True)
    evidence_text = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=AnswerSource.choices, default=AnswerSource.MANUAL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="answer_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} = {self.state or '—'} ({self.source})"

    @property
    def is_automatic(self) -> bool:
        return self.source == AnswerSource.AUTOMATIC

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "Not answered")

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS.get(self.state, "secondary")


class AnswerComment(models.Model):
    """A remark on an answer: a question, a caveat, a pointer to more evidence."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on answer {self.answer_id}"
