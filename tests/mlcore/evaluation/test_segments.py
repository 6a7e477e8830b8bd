"""mlcore.evaluation.segments: per-slice metrics against scikit-learn, slice by slice."""

import math

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.costs import DecisionCosts
from mlcore.evaluation.segments import hanley_mcneil_se, segment_metrics

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=5.0, value_tp=0.5, value_tn=0.1)


def case(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1).round(2)
    segments = rng.choice(np.array(["DE", "FR", "US", "NL"], dtype=object), size=n)
    return y, s, segments


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.62])
def test_every_slice_matches_sklearn(threshold: float) -> None:
    y, s, segments = case(0, 600)
    rows = segment_metrics(y, s, segments, threshold=threshold, costs=COSTS)
    assert sorted(r.value for r in rows) == ["DE", "FR", "NL", "US"]
    assert sum(r.n for r in rows) == 600
    assert [r.n for r in rows] == sorted((r.n for r in rows), reverse=True)
    for row in rows:
        mask = segments == row.value
        ys, ss = y[mask], s[mask]
        predicted = (ss >= threshold).astype(int)
        tn, fp, fn, tp = skm.confusion_matrix(ys, predicted, labels=[0, 1]).ravel()
        assert (row.n, row.positives) == (mask.sum(), ys.sum())
        assert (row.tn, row.fp, row.fn, row.tp) == (tn, fp, fn, tp)
        assert row.roc_auc == pytest.approx(skm.roc_auc_score(ys, ss), abs=1e-12)
        assert row.roc_auc_low < row.roc_auc < row.roc_auc_high
        assert row.precision == pytest.approx(skm.precision_score(ys, predicted, zero_division=0))
        assert row.recall == pytest.approx(skm.recall_score(ys, predicted, zero_division=0))
        assert row.f1 == pytest.approx(skm.f1_score(ys, predicted, zero_division=0))
        cost = (fn * 5.0 + fp * 1.0 - tp * 0.5 - tn * 0.1) / mask.sum()
        assert row.cost_per_decision == pytest.approx(cost)


def test_the_weakest_segment_has_the_lowest_roc_auc() -> None:
    y, s, segments = case(1, 800)
    # Scramble the scores of "FR": no better than chance there.
    fr = segments == "FR"
    s = s.copy()
    s[fr] = np.random.default_rng(9).permutation(s[fr])
    rows = segment_metrics(y, s, segments, threshold=0.5)
    flagged = [r.value for r in rows if r.weakest]
    assert flagged == ["FR"]
    assert all(r.cost_per_decision is None for r in rows)


def test_one_row_and_one_class_segments_have_no_roc_auc() -> None:
    y = np.array([1, 0, 1, 0, 1, 1])
    s = np.array([0.9, 0.2, 0.7, 0.6, 0.4, 0.8])
    segments = np.array(["a", "a", "a", "a", "solo", "pos"], dtype=object)
    rows = {r.value: r for r in segment_metrics(y, s, segments, threshold=0.5, costs=COSTS)}
    solo = rows["solo"]
    assert (solo.n, solo.positives, solo.tp, solo.fn) == (1, 1, 0, 1)
    assert solo.roc_auc is None
    assert solo.roc_auc_low is None
    assert (solo.precision, solo.recall, solo.f1) == (0.0, 0.0, 0.0)
    assert solo.cost_per_decision == pytest.approx(5.0)
    assert rows["pos"].roc_auc is None
    assert rows["a"].roc_auc == pytest.approx(skm.roc_auc_score([1, 0, 1, 0], [0.9, 0.2, 0.7, 0.6]))
    assert rows["a"].weakest


def test_no_auc_anywhere_flags_the_lowest_f1_and_missing_values_form_a_segment() -> None:
    y = np.array([1, 1, 1])
    s = np.array([0.9, 0.1, 0.2])
    rows = segment_metrics(y, s, [None, "x", float("nan")], threshold=0.5)
    by_value = {r.value: r for r in rows}
    assert set(by_value) == {"(missing)", "x"}
    assert by_value["(missing)"].n == 2
    assert [r.value for r in rows if r.weakest] == ["x"]


def test_hanley_mcneil_standard_error() -> None:
    # A = 0.8, 50 + 50: Q1 = 2/3, Q2 = 0.64 / 0.9, variance (0.16 + 49 · 0.02667 + 49 ·
    # 0.07111) / 2500 = 0.0019805 by hand, so SE ≈ 0.0445.
    assert hanley_mcneil_se(0.8, 50, 50) == pytest.approx(0.0445, abs=1e-4)
    assert hanley_mcneil_se(1.0, 10, 10) == 0.0
    assert math.isfinite(hanley_mcneil_se(0.5, 1, 1))


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="equal length"):
        segment_metrics([0, 1], [0.1, 0.2], ["a"], threshold=0.5)
