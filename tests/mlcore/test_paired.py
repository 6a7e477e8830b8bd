"""paired_bootstrap against scikit-learn and a slow index-resampling paired bootstrap."""

import json

import numpy as np
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from mlcore.costs import DecisionCosts
from mlcore.evaluation.paired import _rank, _run_statistics, paired_bootstrap
from mlcore.evaluation.sweep import threshold_sweep

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=4.0, value_tp=0.5, value_tn=0.25)


def case(seed: int, n: int, decimals: int | None = None) -> tuple[np.ndarray, ...]:
    """Labels and two runs' scores; `other` separates the classes a little better."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n).astype(np.int8)
    noise = rng.normal(0, 0.2, size=n)
    base = np.clip(0.4 + 0.2 * y + noise, 0, 1)
    other = np.clip(0.4 + 0.25 * y + noise + rng.normal(0, 0.05, size=n), 0, 1)
    if decimals is not None:
        base, other = base.round(decimals), other.round(decimals)
    return y, base, other


@pytest.mark.parametrize("decimals", [None, 1, 2], ids=["continuous", "1-decimal", "2-decimals"])
def test_the_estimates_equal_scikit_learns_differences(decimals: int | None) -> None:
    y, base, other = case(0, 3000, decimals)
    result = paired_bootstrap(y, base, other, threshold_other=0.55, costs=COSTS, replicates=50)
    sk_auc = roc_auc_score(y, other) - roc_auc_score(y, base)
    assert result.roc_auc.estimate == pytest.approx(sk_auc, abs=1e-12)
    # Exact integers then one division: identical to the project's sweep AUC.
    exact = threshold_sweep(y, other).roc_auc() - threshold_sweep(y, base).roc_auc()
    assert result.roc_auc.estimate == exact
    sk_f1 = f1_score(y, other >= 0.55) - f1_score(y, base >= 0.5)
    assert result.f1.estimate == pytest.approx(sk_f1, abs=1e-12)


def reference_cost(y: np.ndarray, pred: np.ndarray, costs: DecisionCosts) -> float:
    tp = np.sum((y == 1) & pred)
    fp = np.sum((y == 0) & pred)
    fn = np.sum((y == 1) & ~pred)
    tn = np.sum((y == 0) & ~pred)
    loss = fn * costs.cost_fn + fp * costs.cost_fp - tp * costs.value_tp - tn * costs.value_tn
    return loss / y.size


def test_unit_weights_give_scikit_learns_metrics_on_tied_scores() -> None:
    y, base, _ = case(1, 2000, decimals=1)  # 11 distinct scores: heavy ties across classes
    r = _rank(y, base, 0.5)
    w = np.ones((1, y.size), dtype=np.uint8)
    auc, f1, cost = _run_statistics(r, w, np.array([y.size]), COSTS)[0]
    assert auc == pytest.approx(roc_auc_score(y, base), abs=1e-12)
    assert f1 == pytest.approx(f1_score(y, base >= 0.5), abs=1e-12)
    assert cost == pytest.approx(reference_cost(y, base >= 0.5, COSTS), abs=1e-12)


@pytest.mark.parametrize("decimals", [None, 1], ids=["continuous", "1-decimal"])
def test_integer_weights_match_scikit_learns_sample_weight(decimals: int | None) -> None:
    y, base, _ = case(2, 1500, decimals)
    w = np.random.default_rng(3).poisson(1.0, size=y.size).astype(np.uint8)
    r = _rank(y, base, 0.5)
    auc, f1, _ = _run_statistics(r, w[None, :], np.array([int(w.sum())]), None)[0]
    assert auc == pytest.approx(roc_auc_score(y, base, sample_weight=w), abs=1e-12)
    assert f1 == pytest.approx(f1_score(y, base >= 0.5, sample_weight=w), abs=1e-12)


def test_identical_runs_are_not_distinguishable() -> None:
    y, base, _ = case(4, 1000)
    result = paired_bootstrap(y, base, base.copy(), costs=COSTS, replicates=200)
    for diff in (result.roc_auc, result.f1, result.cost_per_decision):
        assert (diff.estimate, diff.low, diff.high) == (0.0, 0.0, 0.0)
        assert diff.verdict == "not distinguishable"


def test_a_clearly_better_model_is_better_and_cheaper() -> None:
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, size=2000).astype(np.int8)
    weak = np.clip(0.5 + 0.05 * (y - 0.5) + rng.normal(0, 0.2, size=y.size), 0, 1)
    strong = np.clip(0.5 + 0.6 * (y - 0.5) + rng.normal(0, 0.1, size=y.size), 0, 1)
    result = paired_bootstrap(y, weak, strong, costs=COSTS, replicates=300)
    assert result.roc_auc.verdict == "better"
    assert result.f1.verdict == "better"
    assert result.cost_per_decision.high < 0
    assert result.cost_per_decision.verdict == "better"  # lower cost is better
    reverse = paired_bootstrap(y, strong, weak, costs=COSTS, replicates=300)
    assert reverse.roc_auc.verdict == "worse"
    assert reverse.cost_per_decision.verdict == "worse"


def f1_by_hand(y: np.ndarray, pred: np.ndarray) -> float:
    tp = np.sum(pred & (y == 1))
    return 2 * tp / (np.sum(pred) + np.sum(y == 1))


def test_intervals_agree_with_a_slow_index_resampling_paired_bootstrap() -> None:
    """Bounds within 0.01, not equal: the reference resamples n row indices (multinomial),
    paired_bootstrap draws Poisson(1) row weights, and each uses its own random numbers."""
    y, base, other = case(6, 2000)
    fast = paired_bootstrap(y, base, other, replicates=2000, seed=1)
    rng = np.random.default_rng(7)
    auc_diffs, f1_diffs = [], []
    for _ in range(300):
        idx = rng.integers(0, y.size, size=y.size)
        yi = y[idx]
        auc_diffs.append(roc_auc_score(yi, other[idx]) - roc_auc_score(yi, base[idx]))
        f1_diffs.append(f1_by_hand(yi, other[idx] >= 0.5) - f1_by_hand(yi, base[idx] >= 0.5))
    for diff, slow in ((fast.roc_auc, auc_diffs), (fast.f1, f1_diffs)):
        low, high = np.percentile(slow, [2.5, 97.5])
        assert diff.low == pytest.approx(low, abs=0.01)
        assert diff.high == pytest.approx(high, abs=0.01)


def test_the_result_depends_on_the_seed_only_not_on_threads() -> None:
    y, base, other = case(8, 5000)
    one = paired_bootstrap(y, base, other, costs=COSTS, replicates=300, seed=3, workers=1)
    two = paired_bootstrap(y, base, other, costs=COSTS, replicates=300, seed=3, workers=2)
    assert one == two
    assert paired_bootstrap(y, base, other, replicates=300, seed=4).f1 != one.f1


def test_one_class_leaves_roc_auc_undefined_and_cost_absent_without_costs() -> None:
    y = np.ones(50, dtype=np.int8)
    scores = np.linspace(0, 1, 50)
    result = paired_bootstrap(y, scores, scores[::-1].copy(), replicates=50)
    assert result.roc_auc is None
    assert result.cost_per_decision is None
    assert result.f1.replicates == 50


def test_to_dict_is_json_safe() -> None:
    y, base, other = case(9, 500)
    out = paired_bootstrap(y, base, other, costs=COSTS, replicates=50).to_dict()
    assert json.loads(json.dumps(out))["cost_per_decision"]["higher_is_better"] is False
    assert out["roc_auc"]["metric"] == "roc_auc"


def test_it_rejects_runs_of_different_lengths() -> None:
    y, base, other = case(10, 100)
    with pytest.raises(ValueError, match="rows"):
        paired_bootstrap(y, base, other[:-1])


def test_ties_at_the_lowest_score_and_the_threshold_are_half_credit() -> None:
    # Two mixed groups (0.0 and 0.5), the first at sorted position 0; by hand with weights
    # 2, 1, 3, 1: negatives 5, positives 2; wins = ½·1·2 (tied at 0.0) + 1·(2 + ½·3) = 4.5,
    # AUC = 4.5 / 10 = 0.45.
    y = np.array([0, 1, 0, 1], dtype=np.int8)
    s = np.array([0.0, 0.0, 0.5, 0.5])
    w = np.array([[2, 1, 3, 1]], dtype=np.uint8)
    auc, f1, _ = _run_statistics(_rank(y, s, 0.5), w, np.array([7]), None)[0]
    assert auc == pytest.approx(0.45, abs=1e-15)
    assert auc == pytest.approx(roc_auc_score(y, s, sample_weight=w[0]), abs=1e-12)
    assert f1 == pytest.approx(f1_score(y, s >= 0.5, sample_weight=w[0]), abs=1e-12)
