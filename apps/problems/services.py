"""Writes for problem definitions: create and update with validation and revision history."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Membership, Team, User
from apps.problems.models import METRICS_FOR_TASK, Problem, ProblemRevision, TaskType
from apps.problems.sections import EDITABLE_FIELDS, FIELD_LABELS

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def problem_rule_errors(problem: Problem) -> dict[str, list[str]]:
    """Rules across fields that the column types cannot express."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not problem.title.strip():
        add("title", "A problem needs a title.")
    if problem.task_type == TaskType.BINARY and not problem.positive_label.strip():
        add("positive_label", "A binary problem needs the target value that counts as positive.")
    if problem.primary_metric and problem.primary_metric not in METRICS_FOR_TASK.get(
        problem.task_type, []
    ):
        metric = problem.get_primary_metric_display()
        task = problem.get_task_type_display().lower()
        add("primary_metric", f"{metric} does not apply to {task}.")
    if (problem.existing_tpr is None) != (problem.existing_fpr is None):
        missing = "existing_fpr" if problem.existing_fpr is None else "existing_tpr"
        add(missing, "Give both rates of the existing solution, or neither.")
    if problem.currency and not _CURRENCY.match(problem.currency):
        add("currency", "Use a three-letter ISO currency code such as USD or EUR.")
    if (
        problem.owner_id
        and not Membership.objects.filter(
            user_id=problem.owner_id, team_id=problem.team_id
        ).exists()
    ):
        add("owner", "The owner must be a member of the team.")
    return errors


def _validate(problem: Problem) -> None:
    errors: dict[str, list[str]] = {}
    try:
        problem.full_clean(exclude=["team", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field, messages in problem_rule_errors(problem).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _display(problem: Problem, field: str) -> str:
    value = getattr(problem, field)
    if value is None:
        return ""
    if field == "owner":
        return value.username
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    choices = dict(problem._meta.get_field(field).choices or [])
    return str(choices.get(value, value))


def problem_create(*, team: Team, user: User, source: str, **fields: object) -> Problem:
    """Create a problem (draft) after validating every given field; no partial writes."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    problem = Problem(team=team, created_by=user, owner=fields.pop("owner", None) or user)
    for field, value in fields.items():
        setattr(problem, field, "" if value is None and _is_text(field) else value)
    _validate(problem)
    with transaction.atomic():
        problem.save()
        ProblemRevision.objects.create(
            problem=problem,
            field="created",
            new_value=problem.title,
            changed_by=user,
            source=source,
        )
    return problem


def _is_text(field: str) -> bool:
    return Problem._meta.get_field(field).get_internal_type() in {"CharField", "TextField"}


def problem_update(
    *, problem: Problem, user: User, source: str, changes: dict[str, object]
) -> list[ProblemRevision]:
    """Apply changes, validate the whole definition, record one revision per changed field.

    Raises ValidationError (nothing saved) when any field or rule fails.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        before = {field: _display(current, field) for field in changes}
        for field, value in changes.items():
            setattr(current, field, "" if value is None and _is_text(field) else value)
        _validate(current)
        revisions = [
            ProblemRevision(
                problem=current,
                field=field,
                old_value=before[field],
                new_value=_display(current, field),
                changed_by=user,
                source=source,
            )
            for field in changes
            if before[field] != _display(current, field)
        ]
        if revisions:
            current.save()
            ProblemRevision.objects.bulk_create(revisions)
    problem.refresh_from_db()
    return revisions


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
