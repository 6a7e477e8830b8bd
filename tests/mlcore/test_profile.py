"""mlcore.profile: numbers equal pandas; each warning fires on a planted case only."""

import json

import numpy as np
import pandas as pd
import pytest

from mlcore.profile import (
    DataWarning,
    TableProfile,
    overlap_warning,
    profile_table,
    row_overlap,
)

N = 2_000


def codes(result: TableProfile, column: str | None = None) -> set[str]:
    return {w.code for w in result.warnings if column is None or w.column == column}


def warning(result: TableProfile, code: str, column: str | None = None) -> DataWarning:
    matches = [w for w in result.warnings if w.code == code and w.column == column]
    assert len(matches) == 1, result.warnings
    return matches[0]


def column(result: TableProfile, name: str) -> dict:
    return next(c.to_dict() for c in result.column_profiles if c.name == name)


@pytest.fixture
def mixed() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "x": rng.normal(10, 3, N),
            "n": rng.integers(0, 40, N),
            "city": rng.choice(["Paris", "Lyon", "Nice", "Metz"], N, p=[0.4, 0.3, 0.2, 0.1]),
            "flag": rng.random(N) < 0.3,
            "when": pd.date_range("2024-01-01", periods=N, freq="h"),
        }
    )
    frame.loc[rng.choice(N, 150, replace=False), "x"] = np.nan
    frame.loc[rng.choice(N, 90, replace=False), "city"] = None
    return frame


# --- numbers equal pandas ---------------------------------------------------------------


def test_numeric_summaries_equal_pandas_describe_and_quantile(mixed: pd.DataFrame) -> None:
    result = profile_table(mixed)
    for name in ("x", "n"):
        ours = column(result, name)
        described = mixed[name].describe()
        assert ours["kind"] == "numeric"
        assert ours["count"] == described["count"]
        assert ours["missing"] == mixed[name].isna().sum()
        assert ours["missing_share"] == pytest.approx(mixed[name].isna().mean())
        assert ours["distinct"] == mixed[name].nunique()
        assert ours["mean"] == pytest.approx(described["mean"], rel=1e-12)
        assert ours["std"] == pytest.approx(described["std"], rel=1e-12)
        assert ours["min"] == described["min"]
        assert ours["max"] == described["max"]
        expected = mixed[name].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).to_numpy()
        assert list(ours["quantiles"].values()) == pytest.approx(expected, rel=1e-12)
        assert list(ours["quantiles"]) == ["p5", "p25", "p50", "p75", "p95"]


def test_the_histogram_equals_numpy_histogram(mixed: pd.DataFrame) -> None:
    ours = column(profile_table(mixed), "x")["histogram"]
    counts, edges = np.histogram(mixed["x"].dropna(), bins=20)
    assert ours["counts"] == counts.tolist()
    assert ours["edges"] == pytest.approx(edges.tolist(), rel=1e-12)


def test_outliers_are_counted_by_the_iqr_rule(mixed: pd.DataFrame) -> None:
    values = mixed["x"].dropna()
    q1, q3 = values.quantile([0.25, 0.75])
    expected = ((values < q1 - 1.5 * (q3 - q1)) | (values > q3 + 1.5 * (q3 - q1))).sum()
    assert column(profile_table(mixed), "x")["outliers"] == expected


def test_category_counts_equal_value_counts_and_nunique(mixed: pd.DataFrame) -> None:
    ours = column(profile_table(mixed), "city")
    counts = mixed["city"].value_counts()
    assert ours["kind"] == "categorical"
    assert ours["top_categories"] == [{"value": k, "count": int(v)} for k, v in counts.items()]
    assert ours["distinct"] == mixed["city"].nunique()
    assert ours["missing"] == 90
    assert ours["count"] == N - 90
    assert ours["histogram"] is None


def test_top_categories_stop_at_twenty() -> None:
    frame = pd.DataFrame({"code": [f"c{i % 30}" for i in range(3000)]})
    ours = column(profile_table(frame), "code")
    assert len(ours["top_categories"]) == 20
    assert ours["distinct"] == 30


def test_booleans_and_datetimes_are_summarised_by_kind(mixed: pd.DataFrame) -> None:
    result = profile_table(mixed)
    flag = column(result, "flag")
    assert flag["kind"] == "boolean"
    counts = mixed["flag"].value_counts()
    assert flag["top_categories"] == [
        {"value": bool(k), "count": int(v)} for k, v in counts.items()
    ]
    when = column(result, "when")
    assert when["kind"] == "datetime"
    assert (when["min"], when["max"]) == (
        mixed["when"].min().isoformat(),
        mixed["when"].max().isoformat(),
    )
    assert when["distinct"] == N


def test_zoned_times_and_arrow_backed_columns_are_profiled() -> None:
    frame = pd.DataFrame(
        {
            "at": pd.date_range("2024-03-01", periods=4, freq="D", tz="Europe/Paris"),
            "n": pd.array([1, None, 3, 4], dtype="int64[pyarrow]"),
            "s": pd.array(["a", None, "b", "a"], dtype="string[pyarrow]"),
            "b": pd.array([True, None, False, True], dtype="bool[pyarrow]"),
        }
    )
    result = profile_table(frame)
    assert column(result, "at")["min"] == "2024-03-01T00:00:00+01:00"
    assert column(result, "at")["max"] == "2024-03-04T00:00:00+01:00"
    assert (column(result, "n")["kind"], column(result, "n")["mean"]) == ("numeric", 8 / 3)
    assert column(result, "s")["top_categories"] == [
        {"value": "a", "count": 2},
        {"value": "b", "count": 1},
    ]
    assert (column(result, "b")["kind"], column(result, "b")["missing"]) == ("boolean", 1)


def test_a_free_text_target_is_profiled_without_class_balance() -> None:
    notes = [f"customer wrote a long message number {i} about the parcel" for i in range(300)]
    result = profile_table(pd.DataFrame({"x": np.arange(300) % 7, "note": notes}), target="note")
    assert result.target_balance is None
    assert "target_leakage" not in codes(result)


def test_long_unique_sentences_are_text_not_categories() -> None:
    rng = np.random.default_rng(2)
    words = np.array(["late", "parcel", "refund", "broken", "thanks", "again", "never", "great"])
    notes = [" ".join(rng.choice(words, 6)) + f" #{i}" for i in range(500)]
    assert column(profile_table(pd.DataFrame({"note": notes})), "note")["kind"] == "text"


def test_duplicate_rows_equal_pandas_duplicated(mixed: pd.DataFrame) -> None:
    doubled = pd.concat([mixed, mixed.iloc[:37], mixed.iloc[:5]], ignore_index=True)
    result = profile_table(doubled)
    assert result.duplicate_rows == doubled.duplicated().sum() == 42
    assert "duplicate_rows" in codes(result)
    assert profile_table(mixed).duplicate_rows == 0


def test_rows_differing_only_in_missing_values_or_column_order_are_not_duplicates() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 1.0, 2.0], "b": [np.nan, 1.0, 2.0, 1.0]})
    assert profile_table(frame).duplicate_rows == frame.duplicated().sum() == 0


def test_the_profile_serialises_to_plain_json_with_nan_as_none() -> None:
    frame = pd.DataFrame({"x": [1.0, np.nan, np.nan], "y": ["a", "b", "b"], "z": [np.nan] * 3})
    result = profile_table(frame, target="y")
    as_dict = result.to_dict()
    assert json.loads(json.dumps(as_dict, allow_nan=False)) == as_dict
    z = as_dict["column_profiles"][2]
    assert (z["count"], z["mean"], z["quantiles"]) == (0, None, None)
    assert as_dict["memory_bytes"] == frame.memory_usage(deep=True).sum()
    assert (as_dict["rows"], as_dict["columns"]) == (3, 3)


def test_progress_is_reported_after_each_phase_and_ends_at_100(mixed: pd.DataFrame) -> None:
    seen: list[tuple[float, str]] = []
    profile_table(mixed, target="flag", on_progress=lambda pct, msg: seen.append((pct, msg)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert len(seen) >= len(mixed.columns) + 2
    assert all(isinstance(m, str) and m for _, m in seen)


# --- warnings: planted case warns, clean case does not ---------------------------------


def test_a_constant_column_warns() -> None:
    result = profile_table(pd.DataFrame({"k": [5] * 100, "x": np.arange(100) % 7}))
    assert "same value (5) in every row" in warning(result, "constant", "k").message
    assert codes(result, "x") == set()


def test_a_near_constant_column_warns_and_a_skewed_one_does_not() -> None:
    near = ["a"] * 995 + ["b"] * 5
    skewed = ["a"] * 900 + ["b"] * 100
    result = profile_table(pd.DataFrame({"near": near, "skewed": skewed}))
    assert warning(result, "near_constant", "near").severity == "info"
    assert "“near” is a in 99.5% of the rows" in warning(result, "near_constant", "near").message
    assert "near_constant" not in codes(result, "skewed")


def test_id_like_integer_and_string_columns_warn_but_measurements_do_not() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {
            "customer_id": rng.permutation(N) + 10_000,
            "order_ref": [f"ORD-{i:06d}" for i in range(N)],
            "amount": rng.normal(50, 10, N),
            "segment": rng.choice(["a", "b", "c"], N),
        }
    )
    result = profile_table(frame)
    assert warning(result, "id_like", "customer_id").severity == "warning"
    assert "like an identifier" in warning(result, "id_like", "order_ref").message
    assert "id_like" not in codes(result, "amount")
    assert "id_like" not in codes(result, "segment")


@pytest.mark.parametrize(("share", "severity"), [(0.25, "warning"), (0.6, "critical")])
def test_a_high_missing_share_warns_by_its_size(share: float, severity: str) -> None:
    values = np.arange(1000, dtype=float) % 13
    values[: int(share * 1000)] = np.nan
    result = profile_table(pd.DataFrame({"v": values}))
    found = warning(result, "high_missing", "v")
    assert found.severity == severity
    assert f"missing in {share:.1%} of rows ({int(share * 1000):,} of 1,000)" in found.message


def test_a_low_missing_share_does_not_warn() -> None:
    values = np.arange(1000, dtype=float) % 13
    values[:150] = np.nan
    assert "high_missing" not in codes(profile_table(pd.DataFrame({"v": values})))


def test_planted_outliers_warn_and_normal_data_does_not() -> None:
    rng = np.random.default_rng(5)
    clean = rng.normal(0, 1, N)
    planted = clean.copy()
    planted[:60] = rng.uniform(20, 30, 60)  # 3 %
    result = profile_table(pd.DataFrame({"clean": clean, "planted": planted}))
    assert warning(result, "outliers", "planted").severity == "info"
    assert "outliers" not in codes(result, "clean")


def test_a_mostly_zero_column_is_not_flagged_for_outliers() -> None:
    values = np.r_[np.zeros(950), np.arange(1, 51)]  # IQR 0: the rule has nothing to say
    assert "outliers" not in codes(profile_table(pd.DataFrame({"v": values})))


@pytest.mark.parametrize(("positives", "severity"), [(50, "warning"), (5, "critical")])
def test_an_imbalanced_target_warns_by_its_minority_share(positives: int, severity: str) -> None:
    rng = np.random.default_rng(6)
    frame = pd.DataFrame(
        {"x": rng.normal(size=1000), "y": [1] * positives + [0] * (1000 - positives)}
    )
    result = profile_table(frame, target="y")
    found = warning(result, "class_imbalance", "y")
    assert found.severity == severity
    assert f"rarest class (1) is {positives / 1000:.1%} of labelled rows" in found.message
    assert result.target_balance == [
        {"value": 0, "count": 1000 - positives, "share": (1000 - positives) / 1000},
        {"value": 1, "count": positives, "share": positives / 1000},
    ]


def test_a_balanced_target_does_not_warn_and_has_its_balance() -> None:
    rng = np.random.default_rng(6)
    labels = rng.choice(["churn", "stay"], 1000, p=[0.3, 0.7])
    result = profile_table(pd.DataFrame({"x": rng.normal(size=1000), "y": labels}), target="y")
    assert "class_imbalance" not in codes(result)
    counts = pd.Series(labels).value_counts()
    assert [(b["value"], b["count"]) for b in result.target_balance] == list(counts.items())


def test_a_many_class_target_is_judged_against_an_even_split() -> None:
    # Ten classes of 10 % each are balanced, though each is a "minority" under 10 %.
    labels = np.repeat(np.arange(10), 100)
    result = profile_table(pd.DataFrame({"y": labels}), target="y")
    assert "class_imbalance" not in codes(result)
    assert len(result.target_balance) == 10


def test_a_regression_target_has_no_class_balance() -> None:
    rng = np.random.default_rng(1)
    result = profile_table(pd.DataFrame({"y": rng.normal(size=500)}), target="y")
    assert result.target_balance is None
    assert "class_imbalance" not in codes(result)


def test_a_target_with_one_value_or_gaps_warns() -> None:
    result = profile_table(pd.DataFrame({"y": [1.0] * 99 + [np.nan]}), target="y")
    assert warning(result, "target_single_class", "y").severity == "critical"
    assert "missing in 1 rows" in warning(result, "target_missing", "y").message


# --- target leakage ---------------------------------------------------------------------


@pytest.fixture
def labelled() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    y = (rng.random(N) < 0.35).astype(int)
    return pd.DataFrame(
        {
            "signal": rng.normal(y * 0.8, 1.0),  # useful, far from perfect (AUC ≈ 0.71)
            "noise": rng.normal(size=N),
            "region": rng.choice(["n", "s", "e", "w"], N),
            "y": y,
        }
    )


def test_clean_features_raise_no_leakage_warning(labelled: pd.DataFrame) -> None:
    assert "target_leakage" not in codes(profile_table(labelled, target="y"))


def test_a_feature_made_of_the_target_plus_noise_is_flagged(labelled: pd.DataFrame) -> None:
    rng = np.random.default_rng(12)
    labelled["refund_amount"] = labelled["y"] * 3 + rng.normal(0, 0.3, N)
    result = profile_table(labelled, target="y")
    found = warning(result, "target_leakage", "refund_amount")
    assert found.severity == "critical"
    assert "predicts the target “y” almost perfectly on its own (ROC AUC" in found.message
    assert not codes(result, "signal")


def test_a_category_that_maps_to_the_target_is_flagged(labelled: pd.DataFrame) -> None:
    status = np.where(labelled["y"] == 1, "closed", "open").astype(object)
    status[np.flatnonzero(labelled["y"] == 1)[:5]] = "open"  # 99.75 % agreement: still a leak
    labelled["status"] = status
    found = warning(profile_table(labelled, target="y"), "target_leakage", "status")
    assert "right class for 99.8% of rows" in found.message


def test_a_numeric_leak_of_a_multiclass_target_is_flagged() -> None:
    rng = np.random.default_rng(13)
    y = rng.integers(0, 3, N)
    frame = pd.DataFrame(
        {"stage_score": y + rng.normal(0, 0.05, N), "x": rng.normal(size=N), "y": y}
    )
    result = profile_table(frame, target="y")
    assert "target_leakage" in codes(result, "stage_score")
    assert "target_leakage" not in codes(result, "x")


def test_a_regression_leak_is_flagged_by_rank_correlation() -> None:
    rng = np.random.default_rng(14)
    y = rng.gamma(2.0, 100.0, N)
    frame = pd.DataFrame(
        {
            "invoice_total": np.log(y) + rng.normal(0, 0.01, N),  # monotone in the target
            "related": y + rng.normal(0, 150, N),  # correlated (ρ ≈ 0.7), not a leak
            "y": y,
        }
    )
    result = profile_table(frame, target="y")
    assert "Spearman correlation" in warning(result, "target_leakage", "invoice_total").message
    assert "target_leakage" not in codes(result, "related")


def test_id_like_columns_are_not_checked_for_leakage(labelled: pd.DataFrame) -> None:
    # An id assigned after sorting by outcome separates the classes, yet it is an id.
    order = np.argsort(labelled["y"].to_numpy(), kind="stable")
    labelled["row_id"] = np.empty(N, dtype=int)
    labelled.loc[order, "row_id"] = np.arange(N)
    result = profile_table(labelled, target="y")
    assert "id_like" in codes(result, "row_id")
    assert "target_leakage" not in codes(result, "row_id")


def test_a_rare_target_does_not_make_every_category_look_like_a_leak() -> None:
    rng = np.random.default_rng(15)
    y = np.zeros(N, dtype=int)
    y[:6] = 1  # 0.3 %: always guessing 0 is already 99.7 % right
    frame = pd.DataFrame({"region": rng.choice(["n", "s"], N), "y": y})
    assert "target_leakage" not in codes(profile_table(frame, target="y"))


def test_the_leakage_check_on_a_large_table_uses_a_fixed_sample() -> None:
    rng = np.random.default_rng(16)
    rows = 150_000
    y = (rng.random(rows) < 0.5).astype(int)
    frame = pd.DataFrame({"leak": y + rng.normal(0, 0.1, rows), "x": rng.normal(size=rows), "y": y})
    first = profile_table(frame, target="y")
    assert codes(first, "leak") == {"target_leakage"}
    assert first.warnings == profile_table(frame, target="y").warnings


def test_an_unknown_target_is_an_error(labelled: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="“nope” is not in the table"):
        profile_table(labelled, target="nope")


# --- overlap between training and evaluation data ------------------------------------------


def test_row_overlap_counts_planted_shared_rows_across_dtypes() -> None:
    rng = np.random.default_rng(17)
    train = pd.DataFrame(
        {"age": rng.integers(18, 90, 500), "city": rng.choice(["a", "b", "c"], 500), "y": 0}
    )
    test = pd.DataFrame(
        {"age": rng.integers(18, 90, 200).astype(float), "city": rng.choice(["d", "e"], 200)}
    )
    test.iloc[[3, 50, 51, 120, 199, 7, 8]] = train.iloc[[0, 10, 20, 30, 40, 50, 60]][
        ["age", "city"]
    ].to_numpy()
    assert row_overlap(train, test) == 7
    assert row_overlap(train, test.iloc[9:50]) == 0


def test_row_overlap_is_zero_without_shared_columns() -> None:
    assert row_overlap(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]})) == 0


def test_an_overlap_warning_is_critical_and_absent_when_clean() -> None:
    found = overlap_warning(12, 400, role="Test")
    assert found is not None
    assert (found.code, found.severity, found.column) == ("train_test_overlap", "critical", None)
    assert found.message.startswith("12 of the 400 rows (3.0%) of this test data also appear")
    assert overlap_warning(0, 400, role="Test") is None
