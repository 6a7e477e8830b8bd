"""The problem definition's sections: what each asks, and what counts as complete.

One table drives the sectioned form, the completeness meter and the API's field list.
"""

from dataclasses import dataclass

from apps.problems.models import FallbackKind, Problem, TaskType


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    question: str
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "overview",
        "Overview",
        "What are you hoping to achieve with this ML product?",
        ("title", "summary", "desired_outcome"),
    ),
    Section(
        "decision",
        "Decision and users",
        "Which decision will the model drive, and who lives with its consequences?",
        ("decision", "affected_users"),
    ),
    Section(
        "task",
        "Task and metric",
        "What is predicted, and which metric says whether it is good — and why that one?",
        ("task_type", "target_column", "positive_label", "primary_metric", "metric_rationale"),
    ),
    Section(
        "costs",
        "Costs and volume",
        "What does each kind of mistake cost, and how many decisions are made?",
        (
            "currency",
            "cost_fp",
            "cost_fn",
            "value_tp",
            "value_tn",
            "decisions_per_month",
            "positive_rate",
        ),
    ),
    Section(
        "existing",
        "Existing solution and non-ML MVP",
        "What happens today, how well does it work, and what would a first version without ML be?",
        ("existing_solution", "existing_performance", "existing_tpr", "existing_fpr", "non_ml_mvp"),
    ),
    Section(
        "data",
        "Data and labels",
        "Where does the data come from, and when do true labels become known?",
        ("data_sources", "label_availability"),
    ),
    Section(
        "fallback",
        "Fallback",
        "What happens when the model is not confident enough to decide?",
        (
            "fallback_kind",
            "fallback_description",
            "fallback_capacity_per_month",
            "fallback_cost_per_case",
        ),
    ),
    Section(
        "ownership",
        "Segments and ownership",
        "Which slices must never be worse, who owns the problem, and where does it stand?",
        ("critical_segments", "owner", "status"),
    ),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "desired_outcome": "Desired outcome",
    "decision": "Decision it supports",
    "affected_users": "Who is affected",
    "task_type": "Task type",
    "target_column": "Target column",
    "positive_label": "Positive label",
    "primary_metric": "Primary metric",
    "metric_rationale": "Why this metric (the cost function in words)",
    "currency": "Currency",
    "cost_fp": "Cost of a false positive",
    "cost_fn": "Cost of a false negative",
    "value_tp": "Value of a true positive",
    "value_tn": "Value of a true negative",
    "decisions_per_month": "Decisions per month",
    "positive_rate": "Share of positive cases",
    "existing_solution": "Existing solution",
    "existing_performance": "How well it performs",
    "existing_tpr": "Existing solution's true-positive rate",
    "existing_fpr": "Existing solution's false-positive rate",
    "non_ml_mvp": "Non-ML MVP",
    "data_sources": "Data sources",
    "label_availability": "Label availability",
    "fallback_kind": "Fallback",
    "fallback_description": "How the fallback works",
    "fallback_capacity_per_month": "Fallback capacity (cases per month)",
    "fallback_cost_per_case": "Fallback cost per case",
    "critical_segments": "Critical segments",
    "owner": "Owner",
    "status": "Status",
}

FIELD_HELP = {
    "desired_outcome": "The change in the world you want, not the model: “halve chargebacks”.",
    "decision": "The action taken on each prediction, e.g. “hold the payment for review”.",
    "affected_users": "Who receives the decision, who acts on it, who bears the mistakes.",
    "target_column": "The column holding the true outcome in your datasets.",
    "positive_label": "The value of the target that counts as positive (binary only).",
    "metric_rationale": "Why this metric reflects what a mistake costs here.",
    "currency": "ISO code, e.g. USD, EUR.",
    "cost_fp": "What acting on a wrong positive costs, per case.",
    "cost_fn": "What missing a real positive costs, per case.",
    "value_tp": "Optional: what a correct positive earns or saves.",
    "value_tn": "Optional: what a correct negative earns or saves.",
    "positive_rate": "Expected share of positive cases, between 0 and 1 (e.g. 0.02).",
    "existing_performance": "In words: measured rates, complaints, known failure modes.",
    "existing_tpr": "Optional, 0–1: share of real positives it catches.",
    "existing_fpr": "Optional, 0–1: share of negatives it flags by mistake.",
    "non_ml_mvp": "A heuristic, rule or human process you would ship first.",
    "label_availability": "When and how true outcomes arrive, and how reliable they are.",
    "fallback_capacity_per_month": "How many cases the fallback can take in a month.",
    "critical_segments": "One per line, e.g. “country = DE” or “new customers”.",
}
EDITABLE_FIELDS = tuple(field for section in SECTIONS for field in section.fields)


def required_fields(problem: Problem) -> list[str]:
    """Fields a complete definition needs; some depend on the task and the fallback."""
    fields = [
        "title", "summary", "desired_outcome", "decision", "affected_users",
        "task_type", "target_column", "primary_metric", "metric_rationale",
        "decisions_per_month", "existing_solution", "existing_performance", "non_ml_mvp",
        "data_sources", "label_availability", "fallback_kind", "owner",
    ]  # fmt: skip
    if problem.task_type == TaskType.BINARY:
        fields += ["positive_label", "cost_fp", "cost_fn", "positive_rate"]
    if problem.fallback_kind and problem.fallback_kind != FallbackKind.NONE:
        fields += ["fallback_description", "fallback_cost_per_case"]
    if problem.fallback_kind == FallbackKind.HUMAN_REVIEW:
        fields += ["fallback_capacity_per_month"]
    return fields


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[tuple[str, str]]  # (field, label)
    missing_by_section: dict[str, list[str]]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def _is_filled(problem: Problem, field: str) -> bool:
    value = getattr(problem, field if field != "owner" else "owner_id")
    return value is not None and value != ""


def completeness(problem: Problem) -> Completeness:
    """Share of required fields filled in, and the missing ones by name and section."""
    required = required_fields(problem)
    missing = [f for f in required if not _is_filled(problem, f)]
    labels = FIELD_LABELS
    by_section: dict[str, list[str]] = {}
    for section in SECTIONS:
        names = [labels.get(f, f) for f in section.fields if f in missing]
        if names:
            by_section[section.key] = names
    percent = round(100 * (len(required) - len(missing)) / len(required))
    return Completeness(percent, [(f, labels.get(f, f)) for f in missing], by_section)
