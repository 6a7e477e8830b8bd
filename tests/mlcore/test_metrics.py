"""mlcore.metrics against scikit-learn and SciPy on small fixed-seed data."""

import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from mlcore.metrics import average_ranks, roc_auc


def random_case(seed: int, n: int, *, decimals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    scores = rng.normal(loc=y * 0.8, scale=1.0)
    if decimals is not None:
        scores = np.round(scores, decimals)
    return y, scores


@pytest.mark.parametrize(("seed", "n"), [(0, 2_000), (1, 37), (2, 500), (3, 10_001)])
def test_roc_auc_equals_sklearn_on_random_scores(seed: int, n: int) -> None:
    y, scores = random_case(seed, n)
    assert roc_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_roc_auc_equals_sklearn_with_heavy_ties(seed: int) -> None:
    y, scores = random_case(seed, 3_000, decimals=1)
    assert np.unique(scores).size < 100  # thousands of rows share few distinct scores
    assert roc_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


def test_roc_auc_of_probabilities_with_ties_at_0_and_1() -> None:
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, size=800)
    scores = np.clip(rng.normal(loc=y * 0.3 + 0.35, scale=0.4), 0.0, 1.0)
    assert roc_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


def test_all_scores_tied_is_one_half() -> None:
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    assert roc_auc(y, np.full(y.size, 0.3)) == 0.5


def test_a_perfect_model_is_one_and_an_inverted_model_is_zero() -> None:
    y = np.array([0, 0, 1, 0, 1, 1, 0, 1])
    scores = y * 0.5 + np.linspace(0.0, 0.4, y.size)
    assert roc_auc(y, scores) == 1.0
    assert roc_auc(y, -scores) == 0.0


def test_roc_auc_accepts_plain_lists_and_booleans() -> None:
    assert roc_auc([False, True, False, True], [0.1, 0.9, 0.4, 0.35]) == pytest.approx(
        roc_auc_score([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.35]), abs=1e-12
    )


@pytest.mark.parametrize("label", [0, 1])
def test_one_class_present_is_a_value_error(label: int) -> None:
    with pytest.raises(ValueError, match="only one class"):
        roc_auc(np.full(5, label), np.arange(5.0))


def test_a_nan_score_is_a_value_error_naming_the_row() -> None:
    with pytest.raises(ValueError, match="row 3"):
        roc_auc([0, 1, 0, 1, 1], [0.1, 0.2, 0.3, np.nan, np.nan])


def test_labels_other_than_0_and_1_are_a_value_error() -> None:
    with pytest.raises(ValueError, match="0/1 labels"):
        roc_auc([0, 1, 2], [0.1, 0.2, 0.3])


def test_mismatched_lengths_are_a_value_error() -> None:
    with pytest.raises(ValueError, match="equal length"):
        roc_auc([0, 1, 0], [0.1, 0.2])


@pytest.mark.parametrize("decimals", [None, 1, 0])
def test_average_ranks_equals_scipy_rankdata(decimals: int | None) -> None:
    _, values = random_case(11, 1_000, decimals=decimals)
    np.testing.assert_array_equal(average_ranks(values), rankdata(values, method="average"))


def test_average_ranks_of_small_known_values() -> None:
    values = np.array([3.0, 1.0, 3.0, 2.0, 3.0])
    np.testing.assert_array_equal(average_ranks(values), [4.0, 1.0, 4.0, 2.0, 4.0])
