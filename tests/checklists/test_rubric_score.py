"""The ML Test Score of a fixed set of answers, against a hand calculation."""

from collections.abc import Callable

from django.test import Client

from apps.checklists import selectors
from apps.problems.models import Problem
from tests.checklists.conftest import RUBRIC_ANSWERS as ANSWERS
from tests.checklists.conftest import checklist_url


def test_a_fixed_set_of_answers_gives_the_hand_computed_sums_minimum_and_band(
    problem: Problem, answer_items: Callable
) -> None:
    checklist = answer_items(problem, "ml_test_score", ANSWERS)
    summary = selectors.checklist_summary(checklist)
    assert summary.section_sums == {
        "data": 4.0,
        "model": 3.0,
        "infrastructure": 2.5,
        "monitoring": 2.0,
    }
    assert summary.ml.final == 2.0
    assert summary.ml.weakest == ("monitoring",)
    assert summary.ml.band.key == "first_pass"
    assert summary.answered == 19
    assert summary.score_text == "2"


def test_the_page_shows_the_same_numbers(
    owner_client: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(problem, "ml_test_score", ANSWERS)
    body = owner_client.get(checklist_url(problem, "ml_test_score")).content.decode()
    assert '<div class="display-6 fw-bold" id="final-score">2</div>' in body
    assert 'data-band="first_pass"' in body
    assert "First pass at production" in body
    for sums in ("4 / 7", "3 / 7", "2.5 / 7", "2 / 7"):
        assert sums in body
    assert '<tr class="pf-weakest" data-section="monitoring">' in body


def test_raising_the_weakest_section_moves_the_score_to_the_next_lowest(
    owner_client: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(problem, "ml_test_score", ANSWERS)
    # monitoring 2 → 3.5 (compute 0 → 1, staleness 0.5 → 1); infrastructure 2.5 is now lowest.
    checklist = answer_items(
        problem, "ml_test_score", {"monitor_compute": "1", "monitor_staleness": "1"}
    )
    summary = selectors.checklist_summary(checklist)
    assert summary.section_sums["monitoring"] == 3.5
    assert summary.ml.final == 2.5
    assert summary.ml.weakest == ("infrastructure",)
    assert summary.ml.band.key == "reasonably_tested"


def test_a_yes_no_checklist_counts_partly_as_half_and_leaves_out_not_applicable(
    problem: Problem, answer_items: Callable
) -> None:
    checklist = answer_items(
        problem,
        "data_readiness",
        {
            "purpose_known": "yes",
            "unit_of_row": "yes",
            "missing_values": "partial",
            "collection_consent": "not_applicable",
            "label_quality": "no",
        },
    )
    summary = selectors.checklist_summary(checklist)
    # Automatic on an empty definition: sources no, segments no, labels no.
    # 2 × yes + ½ = 2.5 points; 16 items − 1 n/a = 15.
    assert summary.yes_no.points == 2.5
    assert summary.yes_no.applicable == 15
    assert summary.score_text == "2.5/15"
    assert summary.headline == "Data 2.5/15"
