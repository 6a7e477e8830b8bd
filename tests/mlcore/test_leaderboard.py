"""Gain, ranking and pairwise verdicts on hand-computed values."""

from dataclasses import dataclass

import pytest

from mlcore.leaderboard import (
    HIGHER_IS_BETTER,
    PERFECT,
    gain,
    gain_for,
    pair_verdict,
    rank_entries,
)


@pytest.mark.parametrize(
    ("value", "best_simple", "perfect", "direction", "expected"),
    [
        # ROC AUC 0.85 over a baseline at 0.70: (0.85 − 0.70) / (1 − 0.70) = 0.5.
        pytest.param(0.85, 0.70, 1.0, "higher", 0.5, id="auc-half"),
        pytest.param(1.0, 0.70, 1.0, "higher", 1.0, id="auc-perfect"),
        pytest.param(0.70, 0.70, 1.0, "higher", 0.0, id="auc-equal-to-baseline"),
        # Worse than the baseline: (0.64 − 0.70) / 0.30 = −0.2.
        pytest.param(0.64, 0.70, 1.0, "higher", -0.2, id="auc-negative"),
        # Log loss 0.3 over 0.6 (perfect 0): (0.3 − 0.6) / (0 − 0.6) = 0.5.
        pytest.param(0.3, 0.6, 0.0, "lower", 0.5, id="log-loss-half"),
        # RMSE 12 over 10: (12 − 10) / (0 − 10) = −0.2.
        pytest.param(12.0, 10.0, 0.0, "lower", -0.2, id="rmse-negative"),
        # R² 0.1 over a baseline at −0.4: (0.1 + 0.4) / (1 + 0.4) = 0.357142…
        pytest.param(0.1, -0.4, 1.0, "higher", 0.5 / 1.4, id="r2-negative-baseline"),
        pytest.param(0.9, 1.0, 1.0, "higher", None, id="no-headroom"),
        pytest.param(0.1, 0.0, 0.0, "lower", None, id="no-headroom-lower"),
        pytest.param(None, 0.7, 1.0, "higher", None, id="no-value"),
        pytest.param(0.8, None, 1.0, "higher", None, id="no-baseline"),
        pytest.param(0.8, 0.7, None, "higher", None, id="no-perfect"),
        pytest.param(float("nan"), 0.7, 1.0, "higher", None, id="nan-value"),
    ],
)
def test_gain(
    value: float | None,
    best_simple: float | None,
    perfect: float | None,
    direction: str,
    expected: float | None,
) -> None:
    result = gain(value, best_simple, perfect, direction)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-12)


def test_gain_for_looks_up_perfect_and_direction() -> None:
    assert gain_for("brier", 0.15, 0.25) == pytest.approx(0.4)  # (0.15 − 0.25) / −0.25
    assert gain_for("cost_per_decision", 0.1, 0.3) is None
    assert gain_for("unknown", 0.1, 0.3) is None


def test_perfect_and_direction_tables_cover_the_same_metrics() -> None:
    assert set(PERFECT) == set(HIGHER_IS_BETTER)
    for metric, perfect in PERFECT.items():
        if perfect == 0.0:
            assert not HIGHER_IS_BETTER[metric]


@dataclass(frozen=True)
class Entry:
    name: str
    value: float | None
    low: float | None = None
    high: float | None = None


def test_rank_entries_higher_is_better_with_missing_values_last() -> None:
    entries = [Entry("a", 0.7), Entry("b", None), Entry("c", 0.9), Entry("d", 0.7)]
    assert [e.name for e in rank_entries(entries, "roc_auc", "higher")] == ["c", "a", "d", "b"]


def test_rank_entries_lower_is_better_from_dicts() -> None:
    entries = [
        {"name": "a", "log_loss": {"value": 0.4, "low": 0.35, "high": 0.45}},
        {"name": "b", "log_loss": 0.2},
        {"name": "c", "log_loss": None},
        {"name": "d", "value": 0.3},
    ]
    ranked = rank_entries(entries, "log_loss")  # direction from HIGHER_IS_BETTER
    assert [e["name"] for e in ranked] == ["b", "d", "a", "c"]


@pytest.mark.parametrize(
    ("low", "high", "direction", "verdict"),
    [
        pytest.param(0.01, 0.05, "higher", "better", id="higher-above-zero"),
        pytest.param(-0.05, -0.01, "higher", "worse", id="higher-below-zero"),
        pytest.param(-0.01, 0.02, "higher", "not distinguishable", id="straddles"),
        pytest.param(0.0, 0.0, "higher", "not distinguishable", id="identical"),
        pytest.param(0.0, 0.02, "higher", "not distinguishable", id="touches-zero"),
        pytest.param(-0.05, -0.01, "lower", "better", id="lower-cost-is-better"),
        pytest.param(0.01, 0.05, "lower", "worse", id="higher-cost-is-worse"),
        pytest.param(None, 0.05, "higher", "not distinguishable", id="missing"),
    ],
)
def test_pair_verdict(low: float | None, high: float | None, direction: str, verdict: str) -> None:
    assert pair_verdict(low, high, direction) == verdict
