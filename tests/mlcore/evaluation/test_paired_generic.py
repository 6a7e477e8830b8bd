"""Row-weighted paired bootstrap: estimates equal sklearn, intervals agree with resampling."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.evaluation.paired_generic import paired_difference, statistic_for


def _binary(seed: int = 0, n: int = 1_500) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    weak = np.clip(0.2 * y + rng.uniform(0, 0.8, n), 0, 1)
    strong = np.clip(0.5 * y + rng.uniform(0, 0.5, n), 0, 1)
    return y, weak, strong


@pytest.mark.parametrize(
    ("metric", "reference"),
    [
        ("accuracy", lambda y, s: skm.accuracy_score(y, s >= 0.5)),
        ("precision", lambda y, s: skm.precision_score(y, s >= 0.5)),
        ("recall", lambda y, s: skm.recall_score(y, s >= 0.5)),
        ("balanced_accuracy", lambda y, s: skm.balanced_accuracy_score(y, s >= 0.5)),
        ("log_loss", lambda y, s: skm.log_loss(y, s)),
        ("brier", lambda y, s: skm.brier_score_loss(y, s)),
    ],
)
def test_binary_statistics_at_unit_weights_equal_sklearn(metric: str, reference) -> None:  # noqa: ANN001
    y, weak, _ = _binary()
    statistic = statistic_for("binary", metric, y, weak)
    assert statistic is not None
    assert statistic(np.ones(y.size)) == pytest.approx(reference(y, weak), abs=1e-12)


def test_multiclass_and_regression_statistics_equal_sklearn() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 600)
    p = rng.dirichlet([1, 1, 1], 600)
    ones = np.ones(600)
    pred = p.argmax(axis=1)
    assert statistic_for("multiclass", "macro_f1", y, p)(ones) == pytest.approx(
        skm.f1_score(y, pred, average="macro")
    )
    assert statistic_for("multiclass", "log_loss", y, p)(ones) == pytest.approx(skm.log_loss(y, p))
    t = rng.normal(5, 2, 600)
    f = t + rng.normal(0, 1, 600)
    assert statistic_for("regression", "r2", t, f)(ones) == pytest.approx(skm.r2_score(t, f))
    assert statistic_for("regression", "rmse", t, f)(ones) == pytest.approx(
        np.sqrt(skm.mean_squared_error(t, f))
    )
    assert statistic_for("binary", "pr_auc", y % 2, p[:, 0]) is None


def test_the_interval_agrees_with_a_hand_written_index_resampling_loop() -> None:
    y, weak, strong = _binary(n=800)
    result = paired_difference(
        statistic_for("binary", "accuracy", y, weak),
        statistic_for("binary", "accuracy", y, strong),
        y.size,
        direction="higher",
        replicates=1_000,
        seed=3,
    )
    rng = np.random.default_rng(11)
    diffs = []
    for _ in range(1_000):
        idx = rng.integers(0, y.size, y.size)
        diffs.append(
            skm.accuracy_score(y[idx], strong[idx] >= 0.5)
            - skm.accuracy_score(y[idx], weak[idx] >= 0.5)
        )
    low, high = np.percentile(diffs, [2.5, 97.5])
    # Different resampling schemes and draws: the bounds agree to about a resampling error.
    assert result["low"] == pytest.approx(low, abs=0.012)
    assert result["high"] == pytest.approx(high, abs=0.012)
    assert result["verdict"] == "better"


def test_lower_is_better_metrics_call_a_smaller_loss_better() -> None:
    y, weak, strong = _binary()
    result = paired_difference(
        statistic_for("binary", "log_loss", y, weak),
        statistic_for("binary", "log_loss", y, strong),
        y.size,
        direction="lower",
        replicates=300,
    )
    assert result["estimate"] < 0
    assert result["verdict"] == "better"
    same = paired_difference(
        statistic_for("binary", "brier", y, weak),
        statistic_for("binary", "brier", y, weak.copy()),
        y.size,
        direction="lower",
        replicates=100,
    )
    assert same["verdict"] == "not distinguishable"
