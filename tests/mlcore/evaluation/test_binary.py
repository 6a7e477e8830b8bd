"""mlcore.evaluation: metrics, sweep and costs against scikit-learn and brute force."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.costs import DecisionCosts
from mlcore.evaluation import evaluate_binary, threshold_sweep

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=5.0, value_tp=0.5, value_tn=0.1)


def case(seed: int, n: int, *, decimals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    return y, (s if decimals is None else s.round(decimals))


def ece_loop(y: np.ndarray, s: np.ndarray) -> float:
    total = 0.0
    for b in range(10):
        members = [i for i in range(len(s)) if min(int(s[i] * 10), 9) == b]
        if members:
            gap = np.mean(y[members]) - np.mean(s[members])
            total += len(members) / len(s) * abs(gap)
    return total


def assert_matches_sklearn(y: np.ndarray, s: np.ndarray, threshold: float) -> None:
    e = evaluate_binary(y, s, threshold=threshold)
    p = (s >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    expected = {
        "accuracy": skm.accuracy_score(y, p),
        "precision": skm.precision_score(y, p, zero_division=0),
        "recall": skm.recall_score(y, p, zero_division=0),
        "specificity": skm.recall_score(y, p, pos_label=0, zero_division=0),
        "f1": skm.f1_score(y, p, zero_division=0),
        "log_loss": skm.log_loss(y, s, labels=[0, 1]),
        "brier": skm.brier_score_loss(y, s, labels=[0, 1]),
    }
    if both:
        expected |= {
            "balanced_accuracy": skm.balanced_accuracy_score(y, p),
            "roc_auc": skm.roc_auc_score(y, s),
            "pr_auc": skm.average_precision_score(y, s),
        }
    for name, value in expected.items():
        assert getattr(e, name) == pytest.approx(value, abs=1e-9), name
    assert e.confusion.matrix == skm.confusion_matrix(y, p, labels=[0, 1]).tolist()
    assert e.ece == pytest.approx(ece_loop(y, s), abs=1e-9)


@pytest.mark.parametrize(
    ("seed", "n", "decimals"), [(0, 2_000, None), (1, 37, None), (2, 3_001, 1)]
)
@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.71])
def test_every_metric_equals_sklearn(
    seed: int, n: int, decimals: int | None, threshold: float
) -> None:
    y, s = case(seed, n, decimals=decimals)
    assert_matches_sklearn(y, s, threshold)


def test_perfect_and_inverted_models_match_sklearn() -> None:
    y = np.array([0, 0, 1, 1, 0, 1])
    perfect = np.array([0.1, 0.2, 0.8, 0.9, 0.0, 1.0])
    assert_matches_sklearn(y, perfect, 0.5)
    assert_matches_sklearn(y, 1 - perfect, 0.5)
    assert evaluate_binary(y, perfect).roc_auc == 1.0
    assert evaluate_binary(y, 1 - perfect).roc_auc == 0.0


def test_all_scores_tied_match_sklearn() -> None:
    y, _ = case(3, 200)
    assert_matches_sklearn(y, np.full(200, 0.4), 0.5)
    assert evaluate_binary(y, np.full(200, 0.4)).roc_auc == 0.5


def test_one_class_present_leaves_auc_undefined_with_a_reason() -> None:
    y = np.zeros(50, dtype=int)
    s = np.linspace(0, 1, 50)
    e = evaluate_binary(y, s)
    assert e.roc_auc is None
    assert e.pr_auc is None
    assert "one class" in e.undefined["roc_auc"]
    assert_matches_sklearn(y, s, 0.5)
    assert e.to_dict()["roc_auc"] is None


@pytest.mark.parametrize(
    ("y", "s", "message"),
    [
        ([0, 1, 1], [0.1, np.nan, 0.3], "NaN at row 1"),
        ([0, 1, 1], [0.1, 0.2, 1.5], "at row 2"),
        ([0, 2, 1], [0.1, 0.2, 0.3], "found 2 at row 1"),
        ([0, 1], [0.1, 0.2, 0.3], "2 rows"),
        ([], [], "empty"),
    ],
)
def test_bad_input_raises_naming_the_row(y: list, s: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate_binary(np.array(y), np.array(s, dtype=float))


@pytest.mark.parametrize("decimals", [None, 1])
def test_sweep_counts_equal_confusion_matrix_at_every_threshold(decimals: int | None) -> None:
    y, s = case(4, 500, decimals=decimals)
    sweep = threshold_sweep(y, s)
    assert np.array_equal(sweep.thresholds, np.unique(s)[::-1])
    for k in range(0, sweep.thresholds.size, 7):
        t = sweep.thresholds[k]
        tn, fp, fn, tp = skm.confusion_matrix(y, s >= t, labels=[0, 1]).ravel()
        assert (sweep.tp[k], sweep.fp[k], sweep.tn[k], sweep.fn[k]) == (tp, fp, tn, fn)
    for t in (-0.1, 0.0, 0.33, 0.5, 1.0, 1.1):
        tn, fp, fn, tp = skm.confusion_matrix(y, s >= t, labels=[0, 1]).ravel()
        assert sweep.at(t).matrix == [[tn, fp], [fn, tp]]
    f1 = [skm.f1_score(y, s >= t, zero_division=0) for t in sweep.thresholds]
    assert np.allclose(sweep.f1, f1, atol=1e-12)


def test_cost_optimal_threshold_equals_brute_force() -> None:
    y, s = case(5, 800, decimals=2)
    e = evaluate_binary(y, s, costs=COSTS, decisions_per_month=10_000)

    def cost(t: float) -> float:
        p = s >= t
        tp, fp = np.sum(p & (y == 1)), np.sum(p & (y == 0))
        fn, tn = np.sum(~p & (y == 1)), np.sum(~p & (y == 0))
        return (5 * fn + 1 * fp - 0.5 * tp - 0.1 * tn) / len(y)

    brute = {t: cost(t) for t in np.unique(s)}
    best = min(brute.values())
    assert e.cost.optimal_cost_per_decision == pytest.approx(best, abs=1e-12)
    assert brute[e.cost.optimal_threshold] == pytest.approx(best, abs=1e-12)
    assert e.cost.cost_per_decision == pytest.approx(cost(0.5), abs=1e-12)
    assert e.cost.bayes_threshold == pytest.approx(1.1 / (1.1 + 5.5))
    assert e.cost.bayes_cost_per_decision == pytest.approx(cost(1.1 / 6.6), abs=1e-12)
    assert e.cost.optimal_cost_per_month == pytest.approx(best * 10_000)
    assert e.cost.optimal_threshold in e.curve.thresholds


def test_curve_is_downsampled_to_500_points_and_json_able() -> None:
    import json

    y, s = case(6, 5_000)
    d = evaluate_binary(y, s, costs=COSTS).to_dict()
    assert len(d["curve"]["thresholds"]) <= 500
    json.dumps(d)


def test_reliability_bins_equal_sklearn_calibration_curve() -> None:
    from sklearn.calibration import calibration_curve

    y, s = case(0, 2_000)
    e = evaluate_binary(y, s)
    observed, predicted = calibration_curve(y, s, n_bins=10, strategy="uniform")
    filled = [i for i, c in enumerate(e.reliability.count) if c]
    assert sum(e.reliability.count) == y.size
    assert [e.reliability.observed_rate[i] for i in filled] == pytest.approx(observed, abs=1e-12)
    assert [e.reliability.mean_predicted[i] for i in filled] == pytest.approx(predicted, abs=1e-12)
    empty = [i for i, c in enumerate(e.reliability.count) if not c]
    assert all(e.reliability.observed_rate[i] is None for i in empty)
