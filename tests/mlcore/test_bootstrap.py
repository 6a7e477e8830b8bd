"""mlcore.bootstrap: reproducible percentile intervals that skip undefined replicates."""

import numpy as np
import pytest

from mlcore.bootstrap import Interval, bootstrap_interval
from mlcore.metrics import roc_auc

RNG = np.random.default_rng(5)
VALUES = RNG.normal(loc=10.0, scale=2.0, size=200)


def mean_of(indices: np.ndarray) -> float:
    return float(VALUES[indices].mean())


def test_the_same_seed_gives_the_same_interval() -> None:
    first = bootstrap_interval(mean_of, VALUES.size, replicates=300, seed=42)
    second = bootstrap_interval(mean_of, VALUES.size, replicates=300, seed=42)
    other = bootstrap_interval(mean_of, VALUES.size, replicates=300, seed=43)
    assert first == second
    assert (other.low, other.high) != (first.low, first.high)


def test_the_interval_covers_the_full_sample_estimate() -> None:
    interval = bootstrap_interval(mean_of, VALUES.size, replicates=500, level=0.9)
    assert interval.estimate == pytest.approx(VALUES.mean())
    assert interval.low < interval.estimate < interval.high
    assert interval.level == 0.9
    assert interval.replicates == 500
    # About 1.645 standard errors either side for a 90 % interval of a mean.
    se = VALUES.std(ddof=1) / np.sqrt(VALUES.size)
    assert interval.high - interval.low == pytest.approx(2 * 1.645 * se, rel=0.2)


def test_undefined_replicates_are_skipped() -> None:
    # Four rows, one positive: a resample often draws no positive and AUC is undefined.
    y = np.array([0, 0, 0, 1])
    scores = np.array([0.1, 0.2, 0.3, 0.9])
    interval = bootstrap_interval(lambda idx: roc_auc(y[idx], scores[idx]), 4, replicates=200)
    assert 0 < interval.replicates < 200
    assert interval.estimate == 1.0
    assert interval.low == interval.high == 1.0


def test_a_statistic_undefined_everywhere_is_a_value_error() -> None:
    def never(indices: np.ndarray) -> float:
        raise ValueError("undefined")

    with pytest.raises(ValueError, match="every bootstrap replicate"):
        bootstrap_interval(never, 10, replicates=20)


def test_progress_is_reported_after_every_replicate() -> None:
    done: list[int] = []
    bootstrap_interval(mean_of, VALUES.size, replicates=25, on_replicate=done.append)
    assert done == list(range(1, 26))


def test_to_dict_holds_every_field() -> None:
    interval = Interval(estimate=0.5, low=0.4, high=0.6, level=0.95, replicates=10)
    assert interval.to_dict() == {
        "estimate": 0.5,
        "low": 0.4,
        "high": 0.6,
        "level": 0.95,
        "replicates": 10,
    }
