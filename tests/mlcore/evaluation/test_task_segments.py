"""Per-segment metrics of multiclass and regression runs against scikit-learn."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.evaluation.task_segments import task_segment_metrics


def test_multiclass_segments_equal_sklearn_and_flag_the_weakest() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 900)
    country = rng.choice(["DE", "FR", "US"], 900)
    pred = np.where(rng.random(900) < 0.8, y, rng.integers(0, 3, 900))
    noisy = country == "FR"
    pred[noisy] = rng.integers(0, 3, noisy.sum())  # FR: guessing
    rows = {r.value: r for r in task_segment_metrics("multiclass", y, pred, country, k=3)}
    for value, row in rows.items():
        mask = country == value
        assert row.n == mask.sum()
        assert row.metrics["accuracy"] == pytest.approx(skm.accuracy_score(y[mask], pred[mask]))
        assert row.metrics["macro_f1"] == pytest.approx(
            skm.f1_score(y[mask], pred[mask], average="macro")
        )
        assert row.low < row.metrics["accuracy"] < row.high
    assert [v for v, r in rows.items() if r.weakest] == ["FR"]


def test_regression_segments_equal_sklearn_and_flag_the_largest_rmse() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(10, 3, 600)
    plan = rng.choice(["basic", "pro"], 600)
    f = y + rng.normal(0, np.where(plan == "pro", 3.0, 1.0))
    rows = {r.value: r for r in task_segment_metrics("regression", y, f, plan)}
    for value, row in rows.items():
        mask = plan == value
        assert row.metrics["mae"] == pytest.approx(skm.mean_absolute_error(y[mask], f[mask]))
        assert row.metrics["rmse"] == pytest.approx(
            np.sqrt(skm.mean_squared_error(y[mask], f[mask]))
        )
        assert row.metrics["r2"] == pytest.approx(skm.r2_score(y[mask], f[mask]))
        assert row.low < row.metrics["rmse"] < row.high
    assert rows["pro"].weakest
    assert not rows["basic"].weakest


def test_one_row_segments_and_missing_values_are_kept_but_never_weakest() -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    f = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 70.0])
    seg = np.array(["a", "a", "a", "a", "a", "a", None], dtype=object)
    rows = task_segment_metrics("regression", y, f, seg)
    assert [(r.value, r.n) for r in rows] == [("a", 6), ("(missing)", 1)]
    assert not any(r.weakest for r in rows)  # only one segment has enough rows
    assert rows[1].low is None
    assert rows[1].metrics["r2"] is None
