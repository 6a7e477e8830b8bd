"""Reads of checklists: each one's items and answers, grouped by section and scored."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from apps.checklists.models import (
    STATES,
    Answer,
    AnswerComment,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Scoring,
    state_points,
)
from mlcore.checklists import (
    MlTestScore,
    YesNoScore,
    format_points,
    ml_test_score,
    yes_no_score,
)


@dataclass
class ItemRow:
    """One item with its answer (None until someone or something answers)."""

    item: ChecklistItem
    answer: Answer | None
    comments: list[AnswerComment] = field(default_factory=list)
    # Set by a view after a POST: what was sent when it could not be saved, and why.
    draft: dict[str, str] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    comment_draft: str = ""
    comment_errors: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def state(self) -> str:
        return self.answer.state if self.answer else ""

    @property
    def chosen(self) -> str:
        """The state the answer control shows: the rejected draft's, else the saved one."""
        return self.draft.get("state", "") if self.draft is not None else self.state

    @property
    def is_automatic(self) -> bool:
        return self.answer is not None and self.answer.is_automatic

    @property
    def is_overridden(self) -> bool:
        """A person answered an item Preflight could check by itself."""
        return bool(self.item.auto) and self.answer is not None and not self.answer.is_automatic

    def evidence_value(self, name: str) -> str:
        if self.draft is not None:
            return self.draft.get(name, "")
        if self.answer is None or self.answer.is_automatic:
            return ""
        return getattr(self.answer, name)

    @property
    def evidence_text_value(self) -> str:
        return self.evidence_value("evidence_text")

    @property
    def evidence_url_value(self) -> str:
        return self.evidence_value("evidence_url")


@dataclass
class SectionRow:
    """A section of a checklist: its items and the points they earn."""

    key: str
    title: str
    description: str
    rows: list[ItemRow]
    points: float
    max_points: int

    @property
    def points_text(self) -> str:
        return f"{format_points(self.points)} / {self.max_points}"


@dataclass
class ChecklistSummary:
    """A checklist's items by section, how many are answered, and its score."""

    checklist: Checklist
    template: ChecklistTemplate
    sections: list[SectionRow]
    answered: int
    total: int
    yes_no: YesNoScore | None = None
    ml: MlTestScore | None = None

    @property
    def is_ml_test_score(self) -> bool:
        return self.ml is not None

    @property
    def progress_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def score(self) -> float:
        """The rubric's final score, or the yes/no checklist's points."""
        return self.ml.final if self.ml is not None else self.yes_no.points

    @property
    def max_score(self) -> float:
        if self.ml is not None:
            return float(min(section.max_points for section in self.sections))
        return float(self.yes_no.applicable)

    @property
    def score_text(self) -> str:
        """“1.5” for the rubric, “9.5/12” for a yes/no checklist, “—” before any answer."""
        if not self.answered:
            return "—"
        if self.ml is not None:
            return format_points(self.ml.final)
        return f"{format_points(self.yes_no.points)}/{self.yes_no.applicable}"

    @property
    def headline(self) -> str:
        return f"{self.template.short_title} {self.score_text}"

    @property
    def weakest_titles(self) -> list[str]:
        """The ML Test Score sections whose sum is the final score."""
        weakest = self.ml.weakest if self.ml is not None else ()
        return [section.title for section in self.sections if section.key in weakest]

    @property
    def section_sums(self) -> dict[str, float]:
        return {section.key: section.points for section in self.sections}

    def row(self, item_key: str) -> ItemRow:
        return next(r for s in self.sections for r in s.rows if r.item.key == item_key)

    def section_of(self, item_key: str) -> SectionRow:
        return next(s for s in self.sections if any(r.item.key == item_key for r in s.rows))


# The checklists whose headline the problem list shows (all three are in the tooltip).
LIST_HEADLINE_KEYS = ("is_ml_right", "ml_test_score")


def _summarise(
    checklist: Checklist,
    items: list[ChecklistItem],
    answers: dict[int, Answer],
    comments: dict[int, list[AnswerComment]],
) -> ChecklistSummary:
    template = checklist.template
    scoring = template.scoring
    by_section: dict[str, list[ItemRow]] = {section["key"]: [] for section in template.sections}
    for item in items:
        answer = answers.get(item.pk)
        row = ItemRow(item, answer, comments.get(answer.pk, []) if answer else [])
        by_section.setdefault(item.section, []).append(row)
    sections = []
    for section in template.sections:
        rows = by_section[section["key"]]
        if scoring == Scoring.ML_TEST_SCORE:
            points = sum(state_points(scoring, row.state) or 0.0 for row in rows)
        else:
            points = yes_no_score(row.state for row in rows).points
        sections.append(
            SectionRow(
                section["key"], section["title"], section.get("description", ""), rows, points,
                len(rows),
            )
        )  # fmt: skip
    all_rows = [row for section in sections for row in section.rows]
    summary = ChecklistSummary(
        checklist,
        template,
        sections,
        answered=sum(bool(row.state) for row in all_rows),
        total=len(all_rows),
    )
    if scoring == Scoring.ML_TEST_SCORE:
        summary.ml = ml_test_score(
            {s.key: [state_points(scoring, row.state) for row in s.rows] for s in sections}
        )
    else:
        summary.yes_no = yes_no_score(row.state for row in all_rows)
    return summary


def checklist_summaries(
    checklists: Sequence[Checklist], *, with_comments: bool = False
) -> list[ChecklistSummary]:
    """Score each checklist (template selected): three queries, however many items."""
    if not checklists:
        return []
    items_by_template: dict[int, list[ChecklistItem]] = {}
    for item in ChecklistItem.objects.filter(
        template_id__in={checklist.template_id for checklist in checklists}
    ).order_by("order"):
        items_by_template.setdefault(item.template_id, []).append(item)
    answers = Answer.objects.filter(checklist__in=checklists)
    if with_comments:
        answers = answers.select_related("answered_by").prefetch_related(
            Prefetch(
                "comments",
                queryset=AnswerComment.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            )
        )
    answers_by_checklist: dict[int, dict[int, Answer]] = {}
    comments: dict[int, list[AnswerComment]] = {}
    for answer in answers:
        answers_by_checklist.setdefault(answer.checklist_id, {})[answer.item_id] = answer
        if with_comments:
            comments[answer.pk] = list(answer.comments.all())
    return [
        _summarise(
            checklist,
            items_by_template.get(checklist.template_id, []),
            answers_by_checklist.get(checklist.pk, {}),
            comments,
        )
        for checklist in checklists
    ]


def checklist_summary(checklist: Checklist) -> ChecklistSummary:
    """One checklist with every item, answer, answerer and comment, for its page."""
    return checklist_summaries([checklist], with_comments=True)[0]


def state_options(scoring: str) -> tuple[tuple[str, str, str, str], ...]:
    """(value, label, hint, colour) of each state an item of this scoring can take."""
    return STATES[scoring]
