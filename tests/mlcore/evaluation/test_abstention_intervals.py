"""mlcore.evaluation abstention curve vs brute force, and the Poisson bootstrap's behaviour."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from mlcore.costs import DecisionCosts
from mlcore.evaluation import abstention_curve, bootstrap_binary, cutoff_for_target

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=4.0)


def case(seed: int, n: int, decimals: int | None = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    return y, (s if decimals is None else s.round(decimals))


def test_abstention_curve_equals_a_brute_force_loop() -> None:
    y, s = case(0, 600)
    curve = abstention_curve(y, s, threshold=0.4, fallback_cost_per_case=0.7, costs=COSTS)
    confidence = np.abs(s - 0.4)
    assert np.array_equal(curve.cutoffs, np.unique(confidence)[::-1])
    for k, cutoff in enumerate(curve.cutoffs):
        answered = confidence >= cutoff
        pred = s >= 0.4
        tp = np.sum(answered & pred & (y == 1))
        fp = np.sum(answered & pred & (y == 0))
        fn = np.sum(answered & ~pred & (y == 1))
        correct = np.sum(answered & (pred == (y == 1)))
        assert curve.coverage[k] == pytest.approx(answered.mean())
        assert curve.accuracy[k] == pytest.approx(correct / answered.sum())
        assert curve.precision[k] == pytest.approx(tp / (tp + fp) if tp + fp else 0.0)
        cost = (4 * fn + fp + 0.7 * (~answered).sum()) / len(y)
        assert curve.cost_per_decision[k] == pytest.approx(cost)


def test_cutoff_for_target_is_the_widest_coverage_meeting_it() -> None:
    y, s = case(1, 1_000)
    curve = abstention_curve(y, s, costs=COSTS, target_accuracy=0.9)
    point = curve.target
    assert point is not None
    assert point.accuracy >= 0.9
    wider = curve.coverage > point.coverage
    assert not np.any(curve.accuracy[wider] >= 0.9)
    assert cutoff_for_target(curve, target_accuracy=1.01) is None
    assert curve.to_dict()["target"]["coverage"] == point.coverage


def test_bootstrap_is_reproducible_and_contains_the_estimate() -> None:
    y, s = case(2, 2_000, decimals=None)
    a = bootstrap_binary(y, s, costs=COSTS, replicates=300, seed=7)
    b = bootstrap_binary(y, s, costs=COSTS, replicates=300, seed=7, workers=1)
    assert a == b
    assert a.roc_auc.estimate == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    for interval in (a.roc_auc, a.f1, a.cost_per_decision):
        assert interval.low <= interval.estimate <= interval.high


def test_bootstrap_handles_ties_and_narrows_with_more_rows() -> None:
    small = bootstrap_binary(*case(3, 500, decimals=1), replicates=300)
    large = bootstrap_binary(*case(3, 20_000, decimals=1), replicates=300)
    y, s = case(3, 500, decimals=1)
    assert small.roc_auc.estimate == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert large.roc_auc.high - large.roc_auc.low < (small.roc_auc.high - small.roc_auc.low) / 3
    assert large.f1.high - large.f1.low < small.f1.high - small.f1.low
