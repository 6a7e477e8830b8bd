"""Templates as data files: loaded idempotently, versioned, checked for mistakes."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.checklists import services
from apps.checklists.models import Checklist, ChecklistItem, ChecklistTemplate
from apps.checklists.providers import provider_keys
from apps.checklists.services import DATA_DIR, TemplateFileError, checklist_templates_sync
from apps.problems.models import Problem


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data files that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(data_dir: Path, name: str, change: callable) -> None:
    path = data_dir / f"{name}.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_the_shipped_templates_are_loaded_with_their_items(db: None) -> None:
    templates = {t.key: t for t in ChecklistTemplate.objects.all()}
    assert set(templates) == {"is_ml_right", "ml_test_score", "data_readiness"}
    assert templates["is_ml_right"].items.count() == 12
    assert templates["ml_test_score"].items.count() == 28
    rubric = templates["ml_test_score"]
    for section in ("data", "model", "infrastructure", "monitoring"):
        assert rubric.items.filter(section=section).count() == 7


def test_sync_is_idempotent(db: None) -> None:
    before = (ChecklistTemplate.objects.count(), ChecklistItem.objects.count())
    result = checklist_templates_sync()
    again = checklist_templates_sync()
    assert result.created == []
    assert again.created == []
    assert again.updated == []
    assert sorted(again.unchanged) == ["data_readiness v1", "is_ml_right v1", "ml_test_score v1"]
    assert (ChecklistTemplate.objects.count(), ChecklistItem.objects.count()) == before


def test_the_command_reports_what_it_did(db: None, capsys: pytest.CaptureFixture) -> None:
    call_command("load_checklists")
    assert "0 created, 0 updated, 3 already current" in capsys.readouterr().out


def test_a_new_version_adds_rows_and_started_checklists_keep_theirs(
    data_dir: Path, problem: Problem
) -> None:
    old = services.checklist_for_problem(problem=problem, key="is_ml_right")

    def bump(data: dict) -> None:
        data["version"] = 2
        data["items"].append(
            {"key": "owner_named", "section": "delivery", "text": "Someone owns the outcome."}
        )

    edit(data_dir, "is_ml_right", bump)
    result = checklist_templates_sync(data_dir=data_dir)
    assert result.created == ["is_ml_right v2"]
    assert ChecklistTemplate.objects.filter(key="is_ml_right").count() == 2
    old.refresh_from_db()
    assert old.template.version == 1
    assert services.checklist_for_problem(problem=problem, key="is_ml_right").pk == old.pk
    # A problem that starts its checklist now gets version 2.
    newcomer = Problem.objects.create(team=problem.team, title="New")
    assert services.checklist_for_problem(problem=newcomer, key="is_ml_right").template.version == 2


def test_a_wording_fix_updates_the_same_version_in_place(data_dir: Path, db: None) -> None:
    def reword(data: dict) -> None:
        data["items"][0]["help"] = "Clearer help."

    edit(data_dir, "is_ml_right", reword)
    result = checklist_templates_sync(data_dir=data_dir)
    assert result.updated == ["is_ml_right v1"]
    item = ChecklistItem.objects.get(template__key="is_ml_right", key="problem_defined")
    assert item.help == "Clearer help."
    assert Checklist.objects.count() == 0


def test_changing_the_items_without_a_new_version_is_refused(data_dir: Path, db: None) -> None:
    edit(data_dir, "is_ml_right", lambda data: data["items"].pop())
    with pytest.raises(TemplateFileError, match="new version number"):
        checklist_templates_sync(data_dir=data_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][0].update(section="nowhere"), "unknown section"),
        (lambda d: d["items"][0].update(auto="no_such_provider"), "unknown evidence provider"),
        (lambda d: d["items"].append(dict(d["items"][0])), "share a key"),
        (lambda d: d.update(scoring="stars"), "unknown scoring"),
        (lambda d: d.pop("title"), "“title” is missing"),
    ],
)
def test_a_broken_data_file_is_refused_naming_the_problem(
    data_dir: Path, db: None, change: callable, message: str
) -> None:
    edit(data_dir, "data_readiness", change)
    with pytest.raises(TemplateFileError, match=message):
        checklist_templates_sync(data_dir=data_dir)


def test_a_rubric_must_have_the_four_sections(data_dir: Path, db: None) -> None:
    edit(data_dir, "ml_test_score", lambda d: d["sections"].pop())
    with pytest.raises(TemplateFileError, match="data, model, infrastructure, monitoring"):
        checklist_templates_sync(data_dir=data_dir)


def test_every_automatic_item_names_a_registered_provider() -> None:
    autos = {
        item["auto"]
        for data in services.template_files()
        for item in data["items"]
        if item.get("auto")
    }
    assert autos
    assert autos <= provider_keys()


def test_templates_come_back_after_the_database_is_emptied(problem: Problem) -> None:
    ChecklistTemplate.objects.all().delete()
    checklist = services.checklist_for_problem(problem=problem, key="ml_test_score")
    assert checklist.template.items.count() == 28
