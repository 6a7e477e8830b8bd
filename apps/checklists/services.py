"""Writes for checklists: loading templates from data files, starting checklists, answers."""

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as django_apps
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from apps.accounts.models import User
from apps.checklists.models import (
    STATES,
    Answer,
    AnswerComment,
    AnswerSource,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Scoring,
)
from apps.checklists.providers import evidence_for, provider_keys, provider_queries
from apps.problems.models import Problem
from mlcore.checklists import ML_TEST_SCORE_SECTIONS

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATE_FIELDS = ("order", "title", "short_title", "description", "scoring", "sections")
ITEM_FIELDS = ("section", "order", "text", "help", "auto")


# --- templates ------------------------------------------------------------------------


class TemplateFileError(ValueError):
    """A checklist data file that cannot be loaded as it is."""


def _check_template(data: dict, name: str) -> None:
    def fail(message: str) -> None:
        raise TemplateFileError(f"{name}: {message}")

    for required in ("key", "version", "title", "short_title", "scoring", "sections", "items"):
        if required not in data:
            fail(f"the field “{required}” is missing.")
    if data["scoring"] not in Scoring.values:
        fail(f"unknown scoring “{data['scoring']}”.")
    sections = [section["key"] for section in data["sections"]]
    if len(set(sections)) != len(sections):
        fail("two sections share a key.")
    if data["scoring"] == Scoring.ML_TEST_SCORE and tuple(sections) != ML_TEST_SCORE_SECTIONS:
        fail(f"an ML Test Score template has the sections {', '.join(ML_TEST_SCORE_SECTIONS)}.")
    keys = [item["key"] for item in data["items"]]
    if len(set(keys)) != len(keys):
        fail("two items share a key.")
    for item in data["items"]:
        if item.get("section") not in sections:
            fail(f"item “{item['key']}” is in an unknown section “{item.get('section')}”.")
        if item.get("auto") and item["auto"] not in provider_keys():
            fail(f"item “{item['key']}” names an unknown evidence provider “{item['auto']}”.")


def template_files(data_dir: Path = DATA_DIR) -> list[dict]:
    """Every template data file, parsed and checked."""
    templates = []
    for path in sorted(data_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        _check_template(data, path.name)
        templates.append(data)
    return templates


@dataclass(frozen=True)
class SyncResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def checklist_templates_sync(
    *, registry: Apps = django_apps, data_dir: Path = DATA_DIR
) -> SyncResult:
    """Load the data files: a new (key, version) makes rows, a known one gets its wording.

    Idempotent. Changing which items or sections a version has needs a new version, so
    answers given on the old one keep their meaning. `registry` lets a data migration
    pass its historical models.
    """
    template_model = registry.get_model("checklists", "ChecklistTemplate")
    item_model = registry.get_model("checklists", "ChecklistItem")
    result = SyncResult([], [], [])
    for data in template_files(data_dir):
        label = f"{data['key']} v{data['version']}"
        values = {
            field: data.get(field, "" if field != "order" else 0) for field in TEMPLATE_FIELDS
        }
        items = {
            item["key"]: {
                "section": item["section"],
                "order": position,
                "text": item["text"],
                "help": item.get("help", ""),
                "auto": item.get("auto", ""),
            }
            for position, item in enumerate(data["items"], start=1)
        }
        with transaction.atomic():
            template, created = template_model.objects.get_or_create(
                key=data["key"], version=data["version"], defaults=values
            )
            if created:
                item_model.objects.bulk_create(
                    item_model(template=template, key=key, **fields)
                    for key, fields in items.items()
                )
                result.created.append(label)
                continue
            changed = _sync_wording(template, values, items, item_model, label)
            (result.updated if changed else result.unchanged).append(label)
    return result


def _sync_wording(
    template: Model, values: dict, items: dict[str, dict], item_model: type[Model], label: str
) -> bool:
    existing = {item.key: item for item in item_model.objects.filter(template=template)}
    old_sections = [section["key"] for section in template.sections]
    new_sections = [section["key"] for section in values["sections"]]
    if set(existing) != set(items) or old_sections != new_sections:
        raise TemplateFileError(
            f"{label}: its items or sections differ from the loaded version; "
            "give the file a new version number instead of changing this one."
        )
    changed = False
    if any(getattr(template, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(template, field, value)
        template.save(update_fields=list(values))
        changed = True
    stale = []
    for key, fields in items.items():
        item = existing[key]
        if any(getattr(item, field) != value for field, value in fields.items()):
            for field, value in fields.items():
                setattr(item, field, value)
            stale.append(item)
    if stale:
        item_model.objects.bulk_update(stale, list(ITEM_FIELDS))
        changed = True
    return changed


def _latest_templates(keys: Iterable[str] | None = None) -> list[ChecklistTemplate]:
    rows = ChecklistTemplate.objects.order_by("order", "key", "-version")
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    latest: dict[str, ChecklistTemplate] = {}
    for template in rows:
        latest.setdefault(template.key, template)
    return list(latest.values())


def _templates_or_load(keys: Iterable[str] | None = None) -> list[ChecklistTemplate]:
    keys = list(keys) if keys is not None else None
    templates = _latest_templates(keys)
    if not templates and not ChecklistTemplate.objects.exists():
        # A database flushed after migrating (as some tests do) has lost the data
        # migration's rows: load the files again rather than show no checklists.
        checklist_templates_sync()
        templates = _latest_templates(keys)
    return templates


# --- checklists -----------------------------------------------------------------------


def checklists_ensure(
    *, problems: Sequence[Problem], keys: Iterable[str] | None = None
) -> list[Checklist]:
    """The problems' checklists (all templates, or the given keys), started where missing.

    A new checklist uses the newest version of its template; an existing one keeps its own.
    Ordered by problem as given, then by template order.
    """
    if not problems:
        return []
    templates = _templates_or_load(keys)
    wanted = {template.key for template in templates}

    def existing() -> list[Checklist]:
        return list(
            Checklist.objects.filter(problem__in=problems, key__in=wanted).select_related(
                "template"
            )
        )

    checklists = existing()
    have = {(checklist.problem_id, checklist.key) for checklist in checklists}
    missing = [
        Checklist(problem=problem, template=template, key=template.key)
        for problem in problems
        for template in templates
        if (problem.pk, template.key) not in have
    ]
    if missing:
        # Two first visits at once both try to start the checklist: one insert wins.
        Checklist.objects.bulk_create(missing, ignore_conflicts=True)
        checklists = existing()
    by_id = {problem.pk: problem for problem in problems}
    position = {problem.pk: index for index, problem in enumerate(problems)}
    for checklist in checklists:
        checklist.problem = by_id[checklist.problem_id]
    return sorted(
        checklists,
        key=lambda c: (position[c.problem_id], c.template.order, c.key),
    )


def checklist_for_problem(*, problem: Problem, key: str) -> Checklist:
    """The problem's checklist for a template key, started if needed (LookupError if none)."""
    checklists = checklists_ensure(problems=[problem], keys=[key])
    if not checklists:
        raise LookupError(f"There is no checklist called “{key}”.")
    return checklists[0]


# --- answers --------------------------------------------------------------------------


def _allowed_states(scoring: str) -> list[str]:
    return [value for value, *_ in STATES[scoring]]


def answers_refresh_automatic(
    *, checklists: Sequence[Checklist], querying_providers: bool = True
) -> int:
    """Re-run the evidence providers of every automatic item; manual answers stay.

    `querying_providers=False` skips the providers that read other apps (their answers
    keep their last value): for pages that refresh many problems at once.

    Writes only what changed (rarely more than a few rows), so a page load with nothing new
    costs two reads.
    Returns the number of answers created or changed.
    """
    if not checklists:
        return 0
    items_by_template: dict[int, list[ChecklistItem]] = {}
    for item in ChecklistItem.objects.filter(
        template_id__in={checklist.template_id for checklist in checklists}
    ).exclude(auto=""):
        if querying_providers or not provider_queries(item.auto):
            items_by_template.setdefault(item.template_id, []).append(item)
    if not items_by_template:
        return 0
    answers = {
        (answer.checklist_id, answer.item_id): answer
        for answer in Answer.objects.filter(
            checklist__in=checklists,
            item_id__in=[item.pk for items in items_by_template.values() for item in items],
        )
    }
    now = timezone.now()
    to_create: list[Answer] = []
    to_update: list[Answer] = []
    for checklist in checklists:
        allowed = _allowed_states(checklist.template.scoring)
        for item in items_by_template.get(checklist.template_id, []):
            answer = answers.get((checklist.pk, item.pk))
            if answer is not None and answer.source == AnswerSource.MANUAL:
                continue
            evidence = evidence_for(item.auto, checklist.problem)
            if evidence is not None and evidence.state not in allowed:
                logger.error("Provider %s answered %r, not one of %s", item.auto, evidence, allowed)
                evidence = None
            values = (evidence.state, evidence.text, evidence.url) if evidence else ("", "", "")
            if answer is None:
                if evidence is not None:
                    to_create.append(
                        Answer(
                            checklist=checklist,
                            item=item,
                            state=values[0],
                            evidence_text=values[1],
                            evidence_url=values[2],
                            answered_at=now,
                            source=AnswerSource.AUTOMATIC,
                        )
                    )
                continue
            if (answer.state, answer.evidence_text, answer.evidence_url) != values:
                answer.state, answer.evidence_text, answer.evidence_url = values
                answer.answered_by = None
                answer.answered_at = now if evidence else None
                to_update.append(answer)
    if to_create:
        Answer.objects.bulk_create(to_create, ignore_conflicts=True)
    for answer in to_update:
        # Conditional: a person who answered meanwhile (source → manual) keeps the answer.
        Answer.objects.filter(pk=answer.pk, source=AnswerSource.AUTOMATIC).update(
            state=answer.state,
            evidence_text=answer.evidence_text,
            evidence_url=answer.evidence_url,
            answered_by=None,
            answered_at=answer.answered_at,
        )
    return len(to_create) + len(to_update)


def _check_item(checklist: Checklist, item: ChecklistItem) -> None:
    if item.template_id != checklist.template_id:
        raise ValueError(f"Item {item.key} is not part of checklist {checklist.key}.")


def answer_save(
    *,
    checklist: Checklist,
    item: ChecklistItem,
    user: User,
    state: str,
    evidence_text: str = "",
    evidence_url: str = "",
) -> Answer:
    """A person's answer to one item (it replaces an automatic one); nothing saved if invalid."""
    _check_item(checklist, item)
    errors: dict[str, list[str]] = {}
    allowed = _allowed_states(checklist.template.scoring)
    if state not in allowed:
        errors["state"] = [f"“{state}” is not an answer here; choose one of {', '.join(allowed)}."]
    evidence_url = evidence_url.strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = ["The evidence link must be a full http(s) address."]
    if errors:
        raise ValidationError(errors)
    answer, _ = Answer.objects.update_or_create(
        checklist=checklist,
        item=item,
        defaults={
            "state": state,
            "evidence_text": evidence_text.strip(),
            "evidence_url": evidence_url,
            "answered_by": user,
            "answered_at": timezone.now(),
            "source": AnswerSource.MANUAL,
        },
    )
    return answer


def answer_revert_to_automatic(*, checklist: Checklist, item: ChecklistItem) -> None:
    """Drop a person's answer to an item Preflight can check, and check it again."""
    _check_item(checklist, item)
    if not item.auto:
        raise ValidationError("Preflight cannot answer this item by itself.")
    Answer.objects.filter(checklist=checklist, item=item).update(
        source=AnswerSource.AUTOMATIC,
        state="",
        evidence_text="",
        evidence_url="",
        answered_by=None,
        answered_at=None,
    )
    answers_refresh_automatic(checklists=[checklist])


def comment_create(
    *, checklist: Checklist, item: ChecklistItem, user: User, text: str
) -> AnswerComment:
    """Add a comment to an item's answer (starting an empty answer if there is none yet)."""
    _check_item(checklist, item)
    text = text.strip()
    if not text:
        raise ValidationError({"text": ["Write something before posting a comment."]})
    with transaction.atomic():
        answer, _ = Answer.objects.get_or_create(
            checklist=checklist,
            item=item,
            defaults={"source": AnswerSource.AUTOMATIC if item.auto else AnswerSource.MANUAL},
        )
        return AnswerComment.objects.create(answer=answer, author=user, text=text)
