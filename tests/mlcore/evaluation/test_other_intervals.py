"""Multiclass and regression bootstrap intervals: estimates equal sklearn, intervals cover."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.evaluation.other_intervals import bootstrap_multiclass, bootstrap_regression


def test_multiclass_estimates_equal_sklearn_and_the_interval_brackets_them() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=3_000)
    pred = np.where(rng.random(3_000) < 0.7, y, rng.integers(0, 3, size=3_000))
    out = bootstrap_multiclass(y, pred, 3, replicates=200, seed=1)
    assert out["accuracy"]["estimate"] == pytest.approx(skm.accuracy_score(y, pred), abs=1e-12)
    assert out["macro_f1"]["estimate"] == pytest.approx(
        skm.f1_score(y, pred, average="macro"), abs=1e-12
    )
    for name in ("accuracy", "macro_f1"):
        assert out[name]["low"] < out[name]["estimate"] < out[name]["high"]
        # About ±2·sqrt(p(1-p)/n) ≈ ±0.017 for accuracy 0.8 on 3,000 rows.
        assert 0.01 < out[name]["high"] - out[name]["low"] < 0.06


def test_regression_estimates_equal_sklearn_and_are_reproducible() -> None:
    rng = np.random.default_rng(2)
    y = rng.normal(10, 3, size=2_000)
    f = y + rng.normal(0, 1, size=2_000)
    first = bootstrap_regression(y, f, replicates=150, seed=3)
    assert first == bootstrap_regression(y, f, replicates=150, seed=3)
    assert first["mae"]["estimate"] == pytest.approx(skm.mean_absolute_error(y, f), abs=1e-12)
    assert first["rmse"]["estimate"] == pytest.approx(
        np.sqrt(skm.mean_squared_error(y, f)), abs=1e-12
    )
    assert first["r2"]["estimate"] == pytest.approx(skm.r2_score(y, f), abs=1e-12)
    assert first["rmse"]["low"] < 1.0 < first["rmse"]["high"]


def test_constant_truth_has_no_r2_interval() -> None:
    out = bootstrap_regression(np.full(50, 2.0), np.linspace(1, 3, 50), replicates=20)
    assert out["r2"] is None
    assert out["mae"] is not None
