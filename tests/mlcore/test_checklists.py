"""mlcore.checklists: the ML Test Score rubric and yes/no checklist scores, by hand."""

import pytest

from mlcore.checklists import (
    BANDS,
    ML_TEST_SCORE_SECTIONS,
    format_points,
    ml_test_score,
    ml_test_score_band,
    yes_no_score,
)


def test_the_final_score_is_the_minimum_of_the_four_section_sums() -> None:
    # data 1+1+0.5+0.5+0+0+1 = 4; model 0.5×4 = 2; infrastructure 1+1+1 = 3;
    # monitoring 1+0.5 = 1.5 → final 1.5 (monitoring is the weakest section).
    score = ml_test_score(
        {
            "data": [1, 1, 0.5, 0.5, 0, 0, 1],
            "model": [0.5, 0.5, 0.5, 0.5, 0, 0, 0],
            "infrastructure": [1, 1, 1, 0, 0, 0, 0],
            "monitoring": [1, 0.5, 0, 0, 0, 0, 0],
        }
    )
    assert score.section_sums == {
        "data": 4.0,
        "model": 2.0,
        "infrastructure": 3.0,
        "monitoring": 1.5,
    }
    assert score.final == 1.5
    assert score.weakest == ("monitoring",)
    assert score.band.key == "first_pass"
    assert score.answered == 28
    assert score.total == 28


def test_a_perfect_section_does_not_lift_a_weak_one() -> None:
    score = ml_test_score(
        {"data": [1] * 7, "model": [1] * 7, "infrastructure": [1] * 7, "monitoring": [0] * 7}
    )
    assert score.final == 0.0
    assert score.band.key == "research"
    assert score.weakest == ("monitoring",)


def test_sections_tied_at_the_minimum_are_all_named_weakest() -> None:
    score = ml_test_score(
        {"data": [1, 1], "model": [1, 0.5, 0.5], "infrastructure": [1, 1], "monitoring": [1, 1, 1]}
    )
    assert score.final == 2.0
    assert score.weakest == ("data", "model", "infrastructure")


def test_unanswered_tests_count_as_zero_but_not_as_answered() -> None:
    score = ml_test_score(
        {
            "data": [1, None, None],
            "model": [1, 1, None],
            "infrastructure": [0.5, 0.5, None],
            "monitoring": [None, 1, 1],
        }
    )
    assert score.section_sums == {
        "data": 1.0,
        "model": 2.0,
        "infrastructure": 1.0,
        "monitoring": 2.0,
    }
    assert score.final == 1.0
    assert score.answered == 7
    assert score.total == 12


def test_a_missing_section_sums_to_zero_and_sets_the_final_score() -> None:
    score = ml_test_score({"data": [1, 1], "model": [1, 1], "infrastructure": [1, 1]})
    assert score.section_sums["monitoring"] == 0.0
    assert score.final == 0.0


def test_a_full_rubric_scores_seven() -> None:
    score = ml_test_score({section: [1] * 7 for section in ML_TEST_SCORE_SECTIONS})
    assert score.final == 7.0
    assert score.band.key == "exceptional"


@pytest.mark.parametrize(
    ("final", "band"),
    [
        (0.0, "research"),
        (0.5, "reliability_gaps"),
        (1.0, "reliability_gaps"),
        (1.5, "first_pass"),
        (2.0, "first_pass"),
        (2.5, "reasonably_tested"),
        (3.0, "reasonably_tested"),
        (3.5, "strong"),
        (4.0, "strong"),
        (5.0, "strong"),
        (5.5, "exceptional"),
        (7.0, "exceptional"),
    ],
)
def test_every_band_boundary_follows_the_paper(final: float, band: str) -> None:
    assert ml_test_score_band(final).key == band


@pytest.mark.parametrize(
    ("final", "band"),
    [(0.5, "reliability_gaps"), (1.0, "reliability_gaps"), (3.5, "strong"), (5.5, "exceptional")],
)
def test_the_band_follows_the_minimum_of_hand_built_sections(final: float, band: str) -> None:
    # The weakest section gets `final` points (whole tests plus a half); the others all 7.
    weak = [1.0] * int(final) + ([0.5] if final % 1 else [])
    weak += [0.0] * (7 - len(weak))
    score = ml_test_score(
        {"data": [1] * 7, "model": weak, "infrastructure": [1] * 7, "monitoring": [1] * 7}
    )
    assert score.final == final
    assert score.band.key == band


def test_the_bands_cover_zero_to_infinity_without_gaps() -> None:
    assert BANDS[0].lower is None
    assert BANDS[0].upper == 0.0
    for below, above in zip(BANDS, BANDS[1:], strict=False):
        assert above.lower == below.upper
    assert BANDS[-1].upper is None
    assert len({band.key for band in BANDS}) == 6


def test_a_negative_final_score_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        ml_test_score_band(-0.5)


@pytest.mark.parametrize("bad", [0.25, 2, -1, 0.75])
def test_a_test_score_other_than_zero_half_or_one_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="0, 0.5 or 1"):
        ml_test_score({"data": [bad]})


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(ValueError, match="features"):
        ml_test_score({"features": [1]})


def test_the_score_serialises_to_plain_data() -> None:
    data = ml_test_score({section: [0.5] for section in ML_TEST_SCORE_SECTIONS}).to_dict()
    assert data["final"] == 0.5
    assert data["band"]["key"] == "reliability_gaps"
    assert data["weakest"] == list(ML_TEST_SCORE_SECTIONS)


def test_yes_counts_one_partly_half_and_not_applicable_leaves_the_maximum() -> None:
    # 12 items: 7 yes, 3 partly, 1 no, 1 n/a → 7 + 1.5 = 8.5 points out of 11.
    states = ["yes"] * 7 + ["partial"] * 3 + ["no", "not_applicable"]
    score = yes_no_score(states)
    assert score.points == 8.5
    assert score.applicable == 11
    assert score.total == 12
    assert score.answered == 12
    assert score.share == pytest.approx(8.5 / 11)
    assert score.counts == {"yes": 7, "partial": 3, "no": 1, "not_applicable": 1}


def test_unanswered_items_count_as_zero_points_out_of_the_maximum() -> None:
    score = yes_no_score(["yes", None, "", "no"])
    assert score.points == 1.0
    assert score.applicable == 4
    assert score.answered == 2
    assert score.share == 0.25


def test_a_checklist_where_nothing_applies_has_no_share() -> None:
    score = yes_no_score(["not_applicable", "not_applicable"])
    assert score.applicable == 0
    assert score.share is None
    assert score.to_dict()["share"] is None


def test_an_empty_checklist_scores_nothing() -> None:
    score = yes_no_score([])
    assert (score.points, score.applicable, score.total, score.share) == (0.0, 0, 0, None)


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="maybe"):
        yes_no_score(["yes", "maybe"])


@pytest.mark.parametrize(("value", "text"), [(9.0, "9"), (9.5, "9.5"), (0.0, "0"), (0.5, "0.5")])
def test_points_are_formatted_without_a_trailing_zero(value: float, text: str) -> None:
    assert format_points(value) == text


def test_each_band_says_which_scores_it_holds() -> None:
    assert [band.range_text for band in BANDS] == [
        "0",
        "above 0, up to 1",
        "above 1, up to 2",
        "above 2, up to 3",
        "above 3, up to 5",
        "above 5",
    ]
