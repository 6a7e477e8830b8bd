"""mlcore.baselines: data checks, the dummy's theory, a planted one-rule, the ladder, robustness."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, mean_absolute_error, r2_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlcore.baselines import (
    BaselineDataError,
    dummy,
    gradient_boosting,
    linear,
    one_rule,
    prepare,
    robustness,
    train_ladder,
)
from mlcore.baselines import data as data_module
from mlcore.baselines import ladder as ladder_module


def planted(n: int = 1500, seed: int = 0, noise: float = 0.1) -> pd.DataFrame:
    """y = (x3 > 0.7), flipped for `noise` of rows, beside five noise features and a category."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f"x{i}": rng.random(n) for i in range(6)})
    frame["colour"] = rng.choice(["red", "green", "blue", None], n)
    frame.loc[rng.random(n) < 0.1, "x1"] = np.nan
    flip = rng.random(n) < noise
    frame["y"] = np.where((frame["x3"] > 0.7) ^ flip, "yes", "no")
    return frame


def split(frame: pd.DataFrame, train_share: float = 2 / 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    cut = int(len(frame) * train_share)
    return frame.iloc[:cut].reset_index(drop=True), frame.iloc[cut:].reset_index(drop=True)


def binary_prepared(**kwargs: object) -> object:
    train, evaluation = split(planted(**kwargs))
    return prepare(train, evaluation, "y", "binary", positive_label="yes")


# --- prepare ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "positive"),
    [([0, 1, 1, 0], "1"), ([False, True, True, False], "True"), ([" b ", "M", "M ", "b"], "M")],
)
def test_prepare_compares_binary_labels_as_stripped_strings(labels: list, positive: str) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": labels})
    prepared = prepare(frame, frame, "y", "binary", positive_label=positive)
    assert prepared.y_train.tolist() == [0, 1, 1, 0]
    assert prepared.y_train.dtype == np.int8
    assert prepared.classes[1] == positive.strip()


def test_prepare_types_columns_and_drops_constant_all_missing_and_excluded_ones() -> None:
    frame = pd.DataFrame(
        {
            "id": range(6),
            "num": [1.0, np.nan, 3.0, 4.0, np.inf, 6.0],
            "flag": [True, False, True, True, False, False],
            "cat": pd.Series(["a", "b", None, "a", "c", " "], dtype="string"),
            "same": [5] * 6,
            "empty": [np.nan] * 6,
            "y": [1.5, 2.0, 3.0, 1.0, 0.5, 2.5],
        }
    )
    prepared = prepare(frame, frame, "y", "regression", exclude=["id", "not_there"])
    assert prepared.numeric == ["num"]
    assert prepared.categorical == ["flag", "cat"]
    assert set(prepared.dropped) == {"same", "empty"}
    assert prepared.excluded == ["id"]
    assert prepared.y_train.dtype == np.float64
    # inf and blank cells read as missing; categories are codes with NaN for missing.
    assert np.isnan(prepared.x_train["num"].to_numpy()[[1, 4]]).all()
    assert np.isnan(prepared.x_train["cat"].to_numpy()[[2, 5]]).all()
    assert prepared.categories["cat"][0] == "a"
    json.dumps(prepared.to_dict(), allow_nan=False)


def test_rare_levels_share_an_other_code_and_unseen_levels_read_as_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(data_module, "MAX_CATEGORIES", 3)
    train = pd.DataFrame({"c": list("aaabbcd"), "y": [1, 0, 1, 0, 1, 0, 1]})
    evaluation = pd.DataFrame({"c": ["a", "d", "z", None], "y": [1, 0, 1, 0]})
    prepared = prepare(train, evaluation, "y", "binary", positive_label="1")
    assert prepared.categories["c"] == ["a", "b", "(other)"]
    assert prepared.x_train["c"].tolist() == [0, 0, 0, 1, 1, 2, 2]
    np.testing.assert_array_equal(prepared.x_eval["c"], [0, 2, np.nan, np.nan])


def test_multiclass_classes_are_sorted_strings_with_int_codes() -> None:
    frame = pd.DataFrame({"x": range(6), "y": [10, 2, 2, 10, 3, 3]})
    prepared = prepare(frame, frame, "y", "multiclass")
    assert prepared.classes == ["2", "3", "10"]
    assert prepared.y_train.tolist() == [2, 0, 0, 2, 1, 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t, e: (t.drop(columns="y"), e), "target column 'y' is not in the training data"),
        (lambda t, e: (t.assign(y=t["y"].where(t.index != 2)), e), "training data row 3"),
        (lambda t, e: (t, e.assign(y=e["y"].replace("no", "maybe"))), "exactly one other value"),
        (lambda t, e: (t.assign(y="yes"), e), "needs both classes"),
        (lambda t, e: (t, e.drop(columns="x3")), "evaluation data has no column 'x3'"),
        (lambda t, e: (t[["y"]].assign(k=1), e[["y"]].assign(k=1)), "no usable feature"),
    ],
)
def test_data_errors_name_the_column_or_row(change: object, message: str) -> None:
    train, evaluation = change(*split(planted(60)))  # type: ignore[operator]
    with pytest.raises(BaselineDataError, match=re.escape(message)):
        prepare(train, evaluation, "y", "binary", positive_label="yes")


def test_missing_positive_label_and_non_numeric_regression_targets_are_data_errors() -> None:
    train, evaluation = split(planted(60))
    with pytest.raises(BaselineDataError, match="positive label 'malignant'"):
        prepare(train, evaluation, "y", "binary", positive_label="malignant")
    with pytest.raises(BaselineDataError, match="numeric for regression: training data row 1"):
        prepare(train, evaluation, "y", "regression")
    with pytest.raises(BaselineDataError, match="fewer than 2 classes"):
        prepare(train.assign(y="a"), evaluation, "y", "multiclass")
    with pytest.raises(BaselineDataError, match="evaluation data row 1 has class"):
        prepare(train, evaluation.assign(y="other"), "y", "multiclass")


# --- dummy -----------------------------------------------------------------------------------


def test_binary_dummy_scores_the_train_prior_so_auc_is_half_and_brier_is_theory() -> None:
    prepared = binary_prepared()
    result = dummy(prepared)
    prior = prepared.y_train.mean()
    prevalence = prepared.y_eval.mean()
    assert np.all(result.scores == prior)
    assert roc_auc_score(prepared.y_eval, result.scores) == 0.5
    expected = prevalence * (1 - prior) ** 2 + (1 - prevalence) * prior**2
    assert brier_score_loss(prepared.y_eval, result.scores) == pytest.approx(expected, abs=1e-12)
    assert result.details["train_prior"] == pytest.approx(prior)


def test_multiclass_dummy_predicts_train_class_shares() -> None:
    frame = pd.DataFrame({"x": np.arange(8.0), "y": list("aabbbccc")})
    prepared = prepare(frame, frame.iloc[:3], "y", "multiclass")
    result = dummy(prepared)
    assert result.proba.shape == (3, 3)
    np.testing.assert_allclose(result.proba[0], [2 / 8, 3 / 8, 3 / 8])


def test_regression_dummies_are_the_metric_optimal_constants() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.random(300), "y": rng.exponential(2.0, 300)})
    prepared = prepare(frame.iloc[:200], frame.iloc[200:], "y", "regression")
    mean = dummy(prepared, metric="rmse")
    assert r2_score(prepared.y_train, mean.model.predict(prepared.x_train)) == pytest.approx(0)
    median = dummy(prepared, metric="mae")
    constant = np.median(prepared.y_train)
    assert median.details["constant"] == pytest.approx(constant)
    assert mean_absolute_error(prepared.y_eval, median.predicted) == pytest.approx(
        mean_absolute_error(prepared.y_eval, np.full(100, constant))
    )
    assert mean_absolute_error(prepared.y_train, median.model.predict(prepared.x_train)) <= (
        mean_absolute_error(prepared.y_train, mean.model.predict(prepared.x_train))
    )


# --- one rule --------------------------------------------------------------------------------


def test_one_rule_finds_the_planted_threshold() -> None:
    result = one_rule(binary_prepared())
    assert result.details["feature"] == "x3"
    assert result.details["depth"] == 1
    assert result.label == "One rule: x3"
    match = re.fullmatch(
        r"if x3 <= ([\d.]+) then P\(yes\)=([\d.]+) else ([\d.]+)", result.details["rule_text"]
    )
    assert match, result.details["rule_text"]
    assert float(match.group(1)) == pytest.approx(0.7, abs=0.03)
    assert float(match.group(2)) < 0.2 < 0.8 < float(match.group(3))


def test_one_rule_splits_a_categorical_by_target_rate_with_missing_as_a_level() -> None:
    rng = np.random.default_rng(2)
    n = 1200
    colour = rng.choice(["red", "green", "blue", "grey", "pink", None], n)
    frame = pd.DataFrame({"noise": rng.random(n), "colour": colour})
    frame["y"] = np.where(pd.Series(colour).isin(["red", "pink"]) | pd.isna(colour), 1, 0)
    prepared = prepare(frame.iloc[:800], frame.iloc[800:], "y", "binary", positive_label="1")
    result = one_rule(prepared)
    assert result.details["feature"] == "colour"
    text = result.details["rule_text"]
    assert re.search(r"colour (not )?in \{", text), text
    side = re.search(r"\{(.*?)\}", text).group(1).split(", ")
    assert set(side) in ({"red", "pink", "(missing)"}, {"green", "blue", "grey"})
    assert roc_auc_score(prepared.y_eval, result.scores) == 1.0


def test_one_rule_renders_regression_and_deeper_rules_as_nested_lines() -> None:
    rng = np.random.default_rng(3)
    x = rng.random(900)
    frame = pd.DataFrame({"x": x, "noise": rng.random(900), "y": np.floor(x * 4) * 10})
    prepared = prepare(frame.iloc[:600], frame.iloc[600:], "y", "regression")
    result = one_rule(prepared)
    assert result.details["depth"] == 2
    lines = result.details["rule_text"].splitlines()
    assert lines[0].startswith("if x <= 0.5")
    assert any(line.startswith("  if x <= ") for line in lines)


# --- linear, boosting, the ladder ------------------------------------------------------------


def test_linear_equals_a_plain_scikit_learn_pipeline_on_numeric_data() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(600, 3))
    y = (x @ [1.0, -2.0, 0.5] + rng.normal(size=600) > 0).astype(int)
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=y)
    prepared = prepare(frame.iloc[:400], frame.iloc[400:], "y", "binary", positive_label="1")
    plain = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x[:400], y[:400])
    np.testing.assert_allclose(
        linear(prepared).scores, plain.predict_proba(x[400:])[:, 1], atol=1e-8
    )


def test_linear_and_boosting_beat_the_dummy_with_missing_and_unseen_categories() -> None:
    train, evaluation = split(planted(1500))
    evaluation.loc[:20, "colour"] = "ultraviolet"  # never seen in training
    prepared = prepare(train, evaluation, "y", "binary", positive_label="yes")
    assert np.isnan(prepared.x_eval["colour"].to_numpy()[:21]).all()
    for fit in (linear, gradient_boosting):
        result = fit(prepared)
        assert np.isfinite(result.scores).all()
        assert roc_auc_score(prepared.y_eval, result.scores) > 0.8


def test_ladder_trains_in_order_reports_progress_and_serialises() -> None:
    prepared = binary_prepared()
    calls = []
    result = train_ladder(
        prepared,
        include_forest=True,
        automl_budget_s=None,
        n_jobs=1,
        on_progress=lambda *call: calls.append(call),
    )
    names = ["dummy", "one_rule", "linear", "gradient_boosting", "random_forest"]
    assert [r.name for r in result.results] == names
    assert calls == [(name, i, 5) for i, name in enumerate(names)]
    assert not result.stopped_early
    assert all(r.error is None and r.scores.shape == (500,) for r in result.results)
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert "scores" not in payload["results"][0]
    assert payload["results"][1]["details"]["rule_text"].startswith("if x3")


def test_ladder_handles_multiclass_and_regression() -> None:
    rng = np.random.default_rng(5)
    n = 900
    frame = pd.DataFrame({"a": rng.random(n), "b": rng.choice(["p", "q", None], n)})
    frame["kind"] = np.select([frame.a < 0.3, frame.a < 0.6], ["low", "mid"], "high")
    frame["amount"] = 5 * frame.a + (frame.b == "p") + rng.normal(0, 0.2, n)
    train, evaluation = split(frame)
    multi = prepare(train, evaluation, "kind", "multiclass", exclude=["amount"])
    result = train_ladder(multi, automl_budget_s=None, n_jobs=1)
    for rung in result.results:
        assert rung.proba.shape == (300, 3)
        np.testing.assert_allclose(rung.proba.sum(axis=1), 1.0)
    reg = prepare(train, evaluation, "amount", "regression", exclude=["kind"])
    result = train_ladder(reg, automl_budget_s=None, n_jobs=1, regression_metric="mae")
    rmse = {r.name: np.sqrt(np.mean((r.predicted - reg.y_eval) ** 2)) for r in result.results}
    assert result.get("dummy").params["strategy"] == "median"
    assert rmse["linear"] < rmse["dummy"] / 3
    assert rmse["gradient_boosting"] < rmse["dummy"] / 3


def test_should_stop_ends_the_ladder_between_models() -> None:
    prepared = binary_prepared(n=300)
    seen: list[str] = []
    result = train_ladder(
        prepared,
        automl_budget_s=None,
        n_jobs=1,
        on_progress=lambda name, *_: seen.append(name),
        should_stop=lambda: len(seen) >= 2,
    )
    assert [r.name for r in result.results] == ["dummy", "one_rule"]
    assert result.stopped_early


def test_a_model_that_fails_becomes_an_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(prepared: object) -> None:
        raise ValueError("solver exploded")

    monkeypatch.setitem(ladder_module.MODELS, "linear", broken)
    result = train_ladder(binary_prepared(n=300), automl_budget_s=None, n_jobs=1)
    failed = result.get("linear")
    assert failed.error == "ValueError: solver exploded"
    assert failed.scores is None
    assert result.get("gradient_boosting").error is None
    assert failed.to_dict()["error"] == "ValueError: solver exploded"


# --- robustness ------------------------------------------------------------------------------


def test_robustness_ranks_the_planted_feature_first() -> None:
    prepared = binary_prepared()
    report = robustness(prepared, gradient_boosting(prepared))
    assert report.metric == "roc_auc"
    assert report.features[0].feature == "x3"
    assert report.features[0].drop > 0.3
    drops = [f.drop for f in report.features]
    assert drops == sorted(drops, reverse=True)
    assert report.outlier_metric is not None
    assert report.note is None
    json.dumps(report.to_dict(), allow_nan=False)


def test_robustness_reports_rmse_increase_and_caps_wide_frames() -> None:
    rng = np.random.default_rng(6)
    frame = pd.DataFrame(rng.random((400, 32)), columns=[f"f{i:02d}" for i in range(32)])
    frame["y"] = 10 * frame["f05"] + rng.normal(0, 0.1, 400)
    prepared = prepare(frame.iloc[:300], frame.iloc[300:], "y", "regression")
    report = robustness(prepared, linear(prepared))
    assert report.metric == "rmse"
    assert report.features[0].feature == "f05"
    assert report.features[0].missing > report.clean
    assert report.outlier_drop > 0
    assert len(report.features) == 30
    assert report.note == "examined the first 30 of 32 features"
