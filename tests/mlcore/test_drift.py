"""mlcore.drift: PSI by hand, KS and chi-square equal to SciPy, reports flag real shifts only."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlcore.drift import (
    DriftThresholds,
    _ks_pvalue,
    chi_square,
    drift_report,
    ks,
    overlaid_distribution,
    psi,
    psi_categorical,
)


def term(current: float, reference: float) -> float:
    return (current - reference) * math.log(current / reference)


def test_psi_equals_a_hand_computed_example() -> None:
    # Reference 0..99: quartile edges 24.75, 49.5, 74.25 put 25 values in each bin.
    reference = np.arange(100, dtype=float)
    # Current: 50 values in bin 1, 30 in bin 2, 20 in bin 3, none in bin 4 (share → ε = 1e-4).
    current = np.r_[np.full(50, 10.0), np.full(30, 30.0), np.full(20, 60.0)]
    expected = term(0.5, 0.25) + term(0.3, 0.25) + term(0.2, 0.25) + term(1e-4, 0.25)
    assert psi(reference, current, bins=4) == pytest.approx(expected, rel=1e-12)


def test_psi_puts_a_value_on_an_edge_in_the_upper_bin() -> None:
    reference = np.arange(100, dtype=float)
    on_edges = np.array([24.75, 49.5, 74.25, 99.0])  # one value in each of bins 2, 3, 4, 4
    expected = term(1e-4, 0.25) + term(0.25, 0.25) + term(0.25, 0.25) + term(0.5, 0.25)
    assert psi(reference, on_edges, bins=4) == pytest.approx(expected, rel=1e-12)


def test_psi_is_zero_for_the_same_sample_and_ignores_missing_values() -> None:
    values = np.random.default_rng(0).normal(size=5000)
    assert psi(values, values) == pytest.approx(0.0, abs=1e-15)
    assert psi(values, np.r_[values, np.nan, np.nan]) == pytest.approx(0.0, abs=1e-15)


def test_psi_categorical_equals_a_hand_computed_example() -> None:
    reference = ["a"] * 50 + ["b"] * 50
    current = ["a"] * 80 + ["b"] * 15 + ["c"] * 5 + [None] * 3  # c is new; None is ignored
    expected = term(0.8, 0.5) + term(0.15, 0.5) + term(0.05, 1e-4)
    assert psi_categorical(reference, current) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("n1", "n2", "decimals", "shift"),
    [
        (80, 120, None, 0.3),  # exact p-value branch
        (3_000, 2_500, 1, 0.05),  # exact branch with heavy ties
        (20_000, 15_000, None, 0.0),  # asymptotic branch, no drift
        (20_000, 15_000, 1, 0.02),  # asymptotic branch, ties across both samples
        (30_000, 25_000, None, 0.1),  # asymptotic branch, drift (scipy's slow Smirnov sum)
        (160_000, 120_000, 2, 0.01),  # large enough to sort and search on two threads
    ],
)
def test_ks_equals_scipy_ks_2samp(n1: int, n2: int, decimals: int | None, shift: float) -> None:
    rng = np.random.default_rng(n1 + n2)
    reference = rng.normal(size=n1)
    current = rng.normal(shift, 1.0, n2)
    if decimals is not None:
        reference, current = reference.round(decimals), current.round(decimals)
    expected = stats.ks_2samp(reference, current)
    statistic, pvalue = ks(reference, current)
    assert statistic == pytest.approx(expected.statistic, abs=1e-12)
    assert pvalue == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("n", "z"), [(141, 2.2), (5_000, 3.0), (40_000, 10.0), (40_000, 31.0), (60_001, 369.0)]
)
def test_the_ks_pvalue_equals_scipy_where_scipy_sums_the_smirnov_series(n: int, z: float) -> None:
    # Samples of 2n a side give scipy's n = round(mn / (m + n)); D is chosen so n·D² = z,
    # the branch where scipy evaluates the exact one-sided Smirnov sum term by term.
    statistic = math.sqrt(z / n)
    expected = float(np.clip(stats.kstwo.sf(statistic, n), 0, 1))
    assert _ks_pvalue(statistic, 2 * n, 2 * n) == pytest.approx(expected, rel=1e-10, abs=1e-300)


@pytest.mark.parametrize(
    ("reference", "current"),
    [
        (["a"] * 30 + ["b"] * 20, ["a"] * 10 + ["b"] * 25),  # 2×2: Yates' correction would apply
        (["x", "y", "z"] * 40 + ["x"] * 9, ["x", "y"] * 30 + ["w"] * 7),
    ],
)
def test_chi_square_equals_scipy_chi2_contingency(reference: list, current: list) -> None:
    categories = sorted(set(reference) | set(current))
    table = [[reference.count(c) for c in categories], [current.count(c) for c in categories]]
    expected = stats.chi2_contingency(table, correction=False)
    statistic, pvalue = chi_square(reference, current)
    assert statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert pvalue == pytest.approx(expected.pvalue, rel=1e-9)


def test_chi_square_of_a_single_category_is_no_evidence() -> None:
    assert chi_square(["a", "a"], ["a"]) == (0.0, 1.0)


@pytest.fixture
def versions() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(21)
    n = 4_000
    reference = pd.DataFrame(
        {
            "stable": rng.normal(0, 1, n),
            "shifted": rng.normal(0, 1, n),
            "plan": rng.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1]),
            "steady_plan": rng.choice(["a", "b"], n),
            "signup": pd.date_range("2024-01-01", periods=n, freq="min"),
        }
    )
    current = pd.DataFrame(
        {
            "stable": rng.normal(0, 1, n),
            "shifted": rng.normal(1.0, 1, n),
            "plan": rng.choice(["free", "pro", "team", "enterprise"], n, p=[0.3, 0.3, 0.3, 0.1]),
            "steady_plan": rng.choice(["a", "b"], n),
            "signup": pd.date_range("2025-01-01", periods=n, freq="min"),
        }
    )
    return reference, current


def test_drift_report_flags_shifted_columns_and_not_stable_ones(
    versions: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    report = drift_report(*versions)
    by_name = {c.column: c for c in report.columns}
    assert set(by_name) == {"stable", "shifted", "plan", "steady_plan"}  # times are skipped
    assert by_name["shifted"].status == "drift"
    assert by_name["shifted"].kind == "numeric"
    assert by_name["shifted"].reason.startswith("PSI ")
    assert by_name["plan"].status == "drift"
    assert "1 category new in the current data" in by_name["plan"].reason
    assert by_name["stable"].status == "ok"
    assert by_name["steady_plan"].status == "ok"
    assert report.drifted_share == 0.5
    assert [c.status for c in report.columns] == ["drift", "drift", "ok", "ok"]


def test_drift_report_numbers_equal_the_single_statistics(
    versions: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    reference, current = versions
    by_name = {c.column: c for c in drift_report(reference, current).columns}
    shifted = by_name["shifted"]
    assert shifted.psi == pytest.approx(psi(reference["shifted"], current["shifted"]), rel=1e-12)
    assert (shifted.ks_statistic, shifted.ks_pvalue) == ks(reference["shifted"], current["shifted"])
    plan = by_name["plan"]
    assert (plan.chi2_statistic, plan.chi2_pvalue) == chi_square(reference["plan"], current["plan"])
    assert plan.psi == pytest.approx(psi_categorical(reference["plan"], current["plan"]))
    assert plan.ks_statistic is None
    assert shifted.chi2_statistic is None


def test_thresholds_decide_the_status(versions: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lenient = DriftThresholds(psi_warn=50, psi_drift=100, ks_pvalue=0, chi2_pvalue=0)
    report = drift_report(*versions, columns=["shifted"], thresholds=lenient)
    assert [c.status for c in report.columns] == ["ok"]
    assert report.drifted_share == 0.0


def test_drift_report_serialises_to_json(versions: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    as_dict = drift_report(*versions).to_dict()
    assert json.loads(json.dumps(as_dict, allow_nan=False)) == as_dict
    assert as_dict["thresholds"] == {
        "psi_warn": 0.1,
        "psi_drift": 0.25,
        "ks_pvalue": 0.01,
        "chi2_pvalue": 0.01,
    }


def test_drift_report_refuses_a_column_missing_from_one_side(
    versions: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    with pytest.raises(ValueError, match="missing from one side: nope"):
        drift_report(*versions, columns=["stable", "nope"])


def test_a_column_empty_on_one_side_warns_without_statistics() -> None:
    report = drift_report(pd.DataFrame({"x": [1.0, 2.0]}), pd.DataFrame({"x": [np.nan, np.nan]}))
    (only,) = report.columns
    assert (only.status, only.psi, only.ks_pvalue) == ("warn", None, None)
    assert only.reason == "No values in the current data to compare."


def test_overlaid_numeric_distributions_share_edges_and_sum_to_one() -> None:
    rng = np.random.default_rng(3)
    reference, current = pd.Series(rng.normal(0, 1, 3000)), pd.Series(rng.normal(1, 1, 2000))
    chart = overlaid_distribution(reference, current, bins=25)
    assert chart["kind"] == "numeric"
    assert len(chart["edges"]) == 26
    assert len(chart["reference"]) == len(chart["current"]) == 25
    assert sum(chart["reference"]) == pytest.approx(1.0)
    assert sum(chart["current"]) == pytest.approx(1.0)
    assert np.average(chart["edges"][:-1], weights=chart["current"]) > np.average(
        chart["edges"][:-1], weights=chart["reference"]
    )
    json.dumps(chart, allow_nan=False)


def test_overlaid_categories_keep_the_most_common_and_group_the_rest() -> None:
    reference = pd.Series(["a"] * 50 + ["b"] * 30 + ["c"] * 20)
    current = pd.Series(["a"] * 20 + ["b"] * 20 + ["d"] * 60)
    chart = overlaid_distribution(reference, current, bins=2)
    assert chart["categories"] == ["a", "d", "(other)"]
    assert chart["reference"] == pytest.approx([0.5, 0.0, 0.5])
    assert chart["current"] == pytest.approx([0.2, 0.6, 0.2])
