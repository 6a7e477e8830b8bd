"""Rule semantics: thresholds, warning bands, baseline margins, ties, no data, break-even."""

import math

import pytest

from mlcore.costs import DecisionCosts, expected_cost_per_decision
from mlcore.rules import (
    Direction,
    Mode,
    Rule,
    State,
    break_even_accuracy,
    break_even_recall,
    check_rule,
    worst_state,
)

H, L = Direction.HIGHER, Direction.LOWER


def rule(direction: Direction = H, **kwargs: object) -> Rule:
    return Rule(metric="m", metric_label="M", direction=direction, **kwargs)


# (rule kwargs, value, baseline value, expected state, expected line the value had to meet)
CASES = [
    # Threshold, both directions, pass / fail / tie.
    pytest.param(dict(threshold=0.75), 0.80, None, State.OK, 0.75, id="higher-threshold-pass"),
    pytest.param(dict(threshold=0.75), 0.712, None, State.BREACH, 0.75, id="higher-threshold-fail"),
    pytest.param(dict(threshold=0.75), 0.75, None, State.OK, 0.75, id="higher-threshold-tie"),
    pytest.param(
        dict(direction=L, threshold=0.3), 0.25, None, State.OK, 0.3, id="lower-threshold-pass"
    ),
    pytest.param(
        dict(direction=L, threshold=0.3), 0.31, None, State.BREACH, 0.3, id="lower-threshold-fail"
    ),
    pytest.param(
        dict(direction=L, threshold=0.3), 0.3, None, State.OK, 0.3, id="lower-threshold-tie"
    ),
    # Float noise at the line is a tie: 0.1 + 0.2 = 0.30000000000000004.
    pytest.param(
        dict(direction=L, threshold=0.3), 0.1 + 0.2, None, State.OK, 0.3, id="float-noise-tie"
    ),
    # Warning band: [0.75, 0.80) warns for higher; (0.25, 0.30] warns for lower.
    pytest.param(
        dict(threshold=0.75, warning_band=0.05), 0.77, None, State.WARN, 0.75, id="higher-warn"
    ),
    pytest.param(
        dict(threshold=0.75, warning_band=0.05), 0.75, None, State.WARN, 0.75, id="higher-warn-at-t"
    ),
    pytest.param(
        dict(threshold=0.75, warning_band=0.05),
        0.80,
        None,
        State.OK,
        0.75,
        id="higher-band-edge-ok",
    ),
    pytest.param(
        dict(threshold=0.75, warning_band=0.05), 0.7, None, State.BREACH, 0.75, id="higher-below"
    ),
    pytest.param(
        dict(direction=L, threshold=0.3, warning_band=0.05),
        0.27,
        None,
        State.WARN,
        0.3,
        id="lower-warn",
    ),
    pytest.param(
        dict(direction=L, threshold=0.3, warning_band=0.05),
        0.25,
        None,
        State.OK,
        0.3,
        id="lower-band-edge-ok",
    ),
    pytest.param(
        dict(threshold=0.75, warning_band=0.0),
        0.75,
        None,
        State.OK,
        0.75,
        id="zero-band-never-warns",
    ),
    # Superiority without margin: at least as good as the baseline, a tie passes.
    pytest.param(dict(baseline_label="B"), 0.78, 0.78, State.OK, 0.78, id="no-margin-tie"),
    pytest.param(dict(baseline_label="B"), 0.77, 0.78, State.BREACH, 0.78, id="no-margin-worse"),
    pytest.param(
        dict(direction=L, baseline_label="B"), 0.5, 0.4, State.BREACH, 0.4, id="no-margin-lower"
    ),
    # Absolute margin: 0.78 + 0.05 = 0.83.
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.05), 0.80, 0.78, State.BREACH, 0.83, id="abs-fail"
    ),
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.05), 0.83, 0.78, State.OK, 0.83, id="abs-tie"
    ),
    pytest.param(
        dict(direction=L, baseline_label="B", min_abs_change=0.05),
        0.44,
        0.48,
        State.BREACH,
        0.43,
        id="abs-lower-fail",
    ),
    pytest.param(
        dict(direction=L, baseline_label="B", min_abs_change=0.05),
        0.43,
        0.48,
        State.OK,
        0.43,
        id="abs-lower-tie",
    ),
    # Relative margin over |baseline|: 0.8 + 0.1 × 0.8 = 0.88.
    pytest.param(
        dict(baseline_label="B", min_rel_change=0.1), 0.87, 0.8, State.BREACH, 0.88, id="rel-fail"
    ),
    pytest.param(
        dict(baseline_label="B", min_rel_change=0.1), 0.88, 0.8, State.OK, 0.88, id="rel-tie"
    ),
    # Negative baseline R² = −0.4, r = 0.5: line −0.4 + 0.5 × 0.4 = −0.2 (not −0.6).
    pytest.param(
        dict(baseline_label="B", min_rel_change=0.5),
        -0.25,
        -0.4,
        State.BREACH,
        -0.2,
        id="rel-negative-baseline-fail",
    ),
    pytest.param(
        dict(baseline_label="B", min_rel_change=0.5),
        -0.2,
        -0.4,
        State.OK,
        -0.2,
        id="rel-negative-baseline-tie",
    ),
    # Lower is better with a relative margin: 2.0 − 0.25 × 2.0 = 1.5.
    pytest.param(
        dict(direction=L, baseline_label="B", min_rel_change=0.25),
        1.6,
        2.0,
        State.BREACH,
        1.5,
        id="rel-lower-fail",
    ),
    # Both margins: both must hold, so the larger gain wins: max(0.02, 0.1 × 0.8) = 0.08.
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.02, min_rel_change=0.1),
        0.85,
        0.8,
        State.BREACH,
        0.88,
        id="both-rel-larger",
    ),
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.1, min_rel_change=0.05),
        0.88,
        0.8,
        State.BREACH,
        0.9,
        id="both-abs-larger",
    ),
    # Non-inferiority: the margin is the tolerated loss: 0.78 − 0.05 = 0.73.
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.05, mode=Mode.NON_INFERIORITY),
        0.74,
        0.78,
        State.OK,
        0.73,
        id="noninf-pass",
    ),
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.05, mode="non_inferiority"),
        0.73,
        0.78,
        State.OK,
        0.73,
        id="noninf-tie",
    ),
    pytest.param(
        dict(baseline_label="B", min_abs_change=0.05, mode=Mode.NON_INFERIORITY),
        0.70,
        0.78,
        State.BREACH,
        0.73,
        id="noninf-fail",
    ),
    pytest.param(
        dict(direction=L, baseline_label="B", min_abs_change=0.05, mode=Mode.NON_INFERIORITY),
        0.52,
        0.48,
        State.OK,
        0.53,
        id="noninf-lower-pass",
    ),
    # Non-inferiority with both margins tolerates only the smaller loss: min(0.05, 0.02).
    pytest.param(
        dict(
            baseline_label="B",
            min_abs_change=0.05,
            min_rel_change=0.025,
            mode=Mode.NON_INFERIORITY,
        ),
        0.77,
        0.8,
        State.BREACH,
        0.78,
        id="noninf-both-smaller",
    ),
    # Threshold and baseline together: the stricter line is reported as required.
    pytest.param(
        dict(threshold=0.7, baseline_label="B", min_abs_change=0.05),
        0.80,
        0.70,
        State.OK,
        0.75,
        id="threshold-and-baseline",
    ),
    # No data.
    pytest.param(dict(threshold=0.75), None, None, State.NO_DATA, 0.75, id="value-none"),
    pytest.param(dict(threshold=0.75), math.nan, None, State.NO_DATA, 0.75, id="value-nan"),
    pytest.param(dict(baseline_label="B"), 0.8, None, State.NO_DATA, None, id="baseline-none"),
    pytest.param(
        dict(threshold=0.5, baseline_label="B"),
        0.8,
        math.nan,
        State.NO_DATA,
        0.5,
        id="baseline-nan",
    ),
]


@pytest.mark.parametrize(("kwargs", "value", "baseline", "state", "required"), CASES)
def test_check_rule_states_and_lines(
    kwargs: dict, value: float | None, baseline: float | None, state: State, required: float | None
) -> None:
    result = check_rule(rule(**kwargs), value, baseline)
    assert result.state is state
    if required is None:
        assert result.required is None
    else:
        assert result.required == pytest.approx(required, abs=1e-12)
    assert bool(result.reasons) == (state is not State.OK)


def test_it_explains_a_threshold_failure_in_one_sentence() -> None:
    r = Rule("roc_auc", "ROC AUC", "higher", threshold=0.75)
    assert check_rule(r, 0.712).reasons == ["ROC AUC 0.712 is below the threshold 0.75."]


def test_it_explains_a_lower_is_better_threshold_failure() -> None:
    r = Rule("log_loss", "Log loss", "lower", threshold=0.45)
    assert check_rule(r, 0.52).reasons == ["Log loss 0.52 is above the threshold 0.45."]


def test_it_explains_a_missed_margin_with_the_line_it_needed() -> None:
    r = Rule("f1", "F1", "higher", baseline_label="Dummy", min_abs_change=0.05)
    result = check_rule(r, 0.80, 0.78)
    assert result.reasons == [
        "F1 0.8 does not beat the baseline 'Dummy' (0.78) by the required 0.05 (needs ≥ 0.83)."
    ]
    assert result.sentence == result.reasons[0]


def test_it_explains_a_non_inferiority_failure() -> None:
    r = Rule(
        "f1", "F1", "higher", baseline_label="Dummy", min_abs_change=0.05, mode="non_inferiority"
    )
    (reason,) = check_rule(r, 0.70, 0.78).reasons
    assert reason == (
        "F1 0.7 is worse than the baseline 'Dummy' (0.78) by more than the tolerated 0.05 "
        "(needs ≥ 0.73)."
    )


def test_it_shows_enough_digits_to_tell_value_from_line() -> None:
    r = Rule("roc_auc", "ROC AUC", "higher", threshold=0.75)
    assert check_rule(r, 0.749991).reasons == ["ROC AUC 0.74999 is below the threshold 0.75."]


def test_it_lists_every_failed_part_and_the_warning() -> None:
    r = Rule("m", "M", "higher", threshold=0.7, warning_band=0.1, baseline_label="B")
    result = check_rule(r, 0.75, 0.8)
    assert result.state is State.BREACH
    assert len(result.reasons) == 2
    assert "worse than the baseline 'B'" in result.reasons[0]
    assert "within 0.1 of the threshold 0.7" in result.reasons[1]


def test_it_says_which_value_is_missing() -> None:
    r = Rule("m", "M", "higher", baseline_label="B")
    assert check_rule(r, None, None).reasons == ["No value for M.", "No baseline value for 'B'."]


def test_check_result_to_dict_is_json_safe() -> None:
    r = Rule("m", "M", "higher", threshold=0.5, warning_band=0.1)
    out = check_rule(r, math.nan).to_dict()
    assert out["state"] == "no_data"
    assert out["value"] is None
    assert out["direction"] == "higher"
    assert out["warning_line"] == pytest.approx(0.6)
    assert out["sentence"] == "No value for M."
    ok = check_rule(r, 0.9).to_dict()
    assert ok["reasons"] == []
    assert ok["sentence"] == "Meets every condition."
    assert r.to_dict()["direction"] == "higher"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param(dict(threshold=0.5, direction="up"), "direction", id="bad-direction"),
        pytest.param(dict(threshold=0.5, mode="better"), "mode", id="bad-mode"),
        pytest.param(dict(), "threshold", id="nothing-to-check"),
        pytest.param(dict(threshold=math.inf), "threshold", id="infinite-threshold"),
        pytest.param(dict(threshold=0.5, warning_band=-0.1), "warning_band", id="negative-band"),
        pytest.param(dict(warning_band=0.1, baseline_label="B"), "warning_band", id="band-alone"),
        pytest.param(dict(baseline_label="B", min_abs_change=0.0), "min_abs_change", id="abs-zero"),
        pytest.param(dict(baseline_label="B", min_abs_change=-1), "min_abs_change", id="abs-neg"),
        pytest.param(dict(baseline_label="B", min_rel_change=1.5), "min_rel_change", id="rel-big"),
        pytest.param(dict(baseline_label="B", min_rel_change=-0.1), "min_rel_change", id="rel-neg"),
        pytest.param(dict(threshold=0.5, min_abs_change=0.1), "baseline_label", id="margin-alone"),
        pytest.param(
            dict(baseline_label="B", mode="non_inferiority"),
            "min_abs_change",
            id="noninf-no-margin",
        ),
    ],
)
def test_invalid_rules_name_the_field(kwargs: dict, field: str) -> None:
    kwargs.setdefault("direction", "higher")
    with pytest.raises(ValueError, match=field):
        Rule("m", "M", **kwargs)


def test_an_empty_metric_is_rejected() -> None:
    with pytest.raises(ValueError, match="metric"):
        Rule("", "M", "higher", threshold=0.5)


@pytest.mark.parametrize(
    ("states", "worst"),
    [
        pytest.param(["ok", "ok"], State.OK, id="all-ok"),
        pytest.param(["ok", "warn"], State.WARN, id="warn"),
        pytest.param(["warn", "no_data"], State.NO_DATA, id="no-data-over-warn"),
        pytest.param([State.NO_DATA, State.BREACH, State.OK], State.BREACH, id="breach"),
        pytest.param([], State.NO_DATA, id="nothing-checked"),
    ],
)
def test_worst_state(states: list, worst: State) -> None:
    assert worst_state(states) is worst


# Worked example, by hand. Misses cost 5, false alarms 1, no values; prevalence π = 0.1.
# The fallback "always negative" misses every positive: 0.1 × 5 = 0.5 per decision.
# The model's mistakes are 40 % misses, 60 % false alarms, so one mistake costs on average
# 0.4 × 5 + 0.6 × 1 = 2.6. Break-even error rate e* = 0.5 / 2.6 = 0.192307…,
# break-even accuracy = 1 − 0.5 / 2.6 = 0.807692…
# Check: misses 0.4 × 0.192307 = 0.076923 (× 5 = 0.384615), false alarms 0.115385 (× 1):
# 0.384615 + 0.115385 = 0.5. ✓
COSTS = DecisionCosts(cost_fp=1.0, cost_fn=5.0)


def test_break_even_accuracy_on_the_worked_example() -> None:
    be = break_even_accuracy(COSTS, prevalence=0.1, fallback_cost=0.5, missed_share=0.4)
    assert be.level == pytest.approx(1 - 0.5 / 2.6, abs=1e-12)
    assert be.level == pytest.approx(0.8076923076923077, abs=1e-12)
    # The same point through the project's cost formula.
    error = 1 - be.level
    tpr = 1 - 0.4 * error / 0.1
    fpr = 0.6 * error / 0.9
    cost = expected_cost_per_decision(COSTS, prevalence=0.1, tpr=tpr, fpr=fpr)
    assert cost == pytest.approx(0.5, abs=1e-12)
    assert be.explanation == (
        "At 80.77% accuracy the model costs as much per decision as the fallback (0.5), "
        "assuming its mistakes keep today's mix of 40% missed cases and 60% false alarms; "
        "above it the model is cheaper."
    )
    assert be.to_dict()["inputs"]["missed_share"] == 0.4


def test_break_even_accuracy_needs_no_mix_when_mistakes_weigh_the_same() -> None:
    # Every mistake costs 1, every right answer is worth 0.5: cost = 1.5·e − 0.5.
    # Fallback 0.1 → e* = 0.6 / 1.5 = 0.4, accuracy 0.6, whatever the mix or prevalence.
    costs = DecisionCosts(cost_fp=1.0, cost_fn=1.0, value_tp=0.5, value_tn=0.5)
    be = break_even_accuracy(costs, prevalence=0.3, fallback_cost=0.1)
    assert be.level == pytest.approx(0.6, abs=1e-12)
    assert "mix" not in be.explanation


def test_break_even_accuracy_refuses_asymmetric_costs_without_a_mix() -> None:
    with pytest.raises(ValueError, match="missed_share"):
        break_even_accuracy(COSTS, prevalence=0.1, fallback_cost=0.5)


def test_break_even_accuracy_says_when_no_accuracy_is_enough() -> None:
    # A fallback with net value −1 per decision cannot be beaten by a model whose perfect
    # answers are worth nothing.
    be = break_even_accuracy(COSTS, prevalence=0.1, fallback_cost=-1.0, missed_share=0.5)
    assert be.level is None
    assert "no accuracy breaks even" in be.explanation


def test_break_even_recall_on_the_worked_example() -> None:
    # Same costs, false-positive rate held at 5 %: false alarms cost 0.9 × 0.05 × 1 = 0.045,
    # misses 0.1 × (1 − R) × 5. Equal to 0.5 when 0.5 − 0.5·R + 0.045 = 0.5 → R = 0.09.
    be = break_even_recall(COSTS, prevalence=0.1, fallback_cost=0.5, false_positive_rate=0.05)
    assert be.level == pytest.approx(0.09, abs=1e-12)
    cost = expected_cost_per_decision(COSTS, prevalence=0.1, tpr=be.level, fpr=0.05)
    assert cost == pytest.approx(0.5, abs=1e-12)
    assert "5.00% of negative cases" in be.explanation


def test_break_even_recall_unreachable_at_a_high_false_positive_rate() -> None:
    # At FPR 0.8 false alarms alone cost 0.72 > 0.5: no recall breaks even.
    be = break_even_recall(COSTS, prevalence=0.1, fallback_cost=0.5, false_positive_rate=0.8)
    assert be.level is None


def test_a_break_even_level_becomes_a_threshold_rule() -> None:
    be = break_even_accuracy(COSTS, prevalence=0.1, fallback_cost=0.5, missed_share=0.4)
    r = Rule("accuracy", "Accuracy", "higher", threshold=be.level)
    assert check_rule(r, 0.85).state is State.OK
    assert check_rule(r, 0.80).state is State.BREACH
