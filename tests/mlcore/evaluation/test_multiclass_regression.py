"""mlcore.evaluation.multiclass_regression: multiclass and regression metrics vs scikit-learn."""

import json

import numpy as np
import pytest
from sklearn import metrics as skm

from mlcore.evaluation.multiclass_regression import evaluate_multiclass, evaluate_regression

TOL = 1e-9


def multiclass_case(
    seed: int, n: int, k: int, *, decimals: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    if decimals is not None:
        logits = logits.round(decimals)
    proba = np.exp(logits)
    proba /= proba.sum(axis=1, keepdims=True)
    return y, proba


def regression_case(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.normal(10.0, 3.0, size=n)
    return y, y + rng.normal(0.5, 2.0, size=n)


def assert_multiclass_matches_sklearn(y: np.ndarray, proba: np.ndarray, labels: list) -> None:
    e = evaluate_multiclass(y, proba, labels=labels)
    pred = np.asarray(labels)[np.argmax(proba, axis=1)]
    assert e.accuracy == pytest.approx(skm.accuracy_score(y, pred), abs=TOL)
    for average in ("macro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            y, pred, labels=labels, average=average, zero_division=0
        )
        assert getattr(e, f"{average}_precision") == pytest.approx(p, abs=TOL)
        assert getattr(e, f"{average}_recall") == pytest.approx(r, abs=TOL)
        assert getattr(e, f"{average}_f1") == pytest.approx(f, abs=TOL)
    p, r, f, s = skm.precision_recall_fscore_support(
        y, pred, labels=labels, average=None, zero_division=0
    )
    assert [c.precision for c in e.per_class] == pytest.approx(p.tolist(), abs=TOL)
    assert [c.recall for c in e.per_class] == pytest.approx(r.tolist(), abs=TOL)
    assert [c.f1 for c in e.per_class] == pytest.approx(f.tolist(), abs=TOL)
    assert [c.support for c in e.per_class] == s.tolist()
    assert e.log_loss == pytest.approx(skm.log_loss(y, proba, labels=labels), abs=TOL)
    assert e.confusion_matrix == skm.confusion_matrix(y, pred, labels=labels).tolist()
    if e.roc_auc_ovr_macro is not None:
        if len(labels) == 2:  # sklearn's binary path takes the positive column only
            expected = skm.roc_auc_score(y, proba[:, 1])
        else:
            expected = skm.roc_auc_score(
                y, proba, multi_class="ovr", average="macro", labels=labels
            )
        assert e.roc_auc_ovr_macro == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [2, 3, 5])
def test_multiclass_metrics_equal_sklearn_on_random_data(seed: int, k: int) -> None:
    y, proba = multiclass_case(seed, 700, k)
    assert_multiclass_matches_sklearn(y, proba, list(range(k)))


def test_multiclass_metrics_equal_sklearn_with_tied_probabilities() -> None:
    y, proba = multiclass_case(7, 900, 4, decimals=0)
    assert_multiclass_matches_sklearn(y, proba, [0, 1, 2, 3])


def test_multiclass_accepts_string_labels_in_sorted_order() -> None:
    y_idx, proba = multiclass_case(3, 400, 3)
    labels = ["cat", "dog", "eel"]
    assert_multiclass_matches_sklearn(np.asarray(labels)[y_idx], proba, labels)


def test_permuting_labels_and_columns_permutes_per_class_results_only() -> None:
    y, proba = multiclass_case(4, 500, 3)
    base = evaluate_multiclass(y, proba, labels=[0, 1, 2])
    perm = [2, 0, 1]
    moved = evaluate_multiclass(y, proba[:, perm], labels=perm)
    assert moved.accuracy == base.accuracy
    assert moved.macro_f1 == pytest.approx(base.macro_f1, abs=TOL)
    assert moved.log_loss == pytest.approx(base.log_loss, abs=TOL)
    assert moved.roc_auc_ovr_macro == pytest.approx(base.roc_auc_ovr_macro, abs=TOL)
    assert [c.label for c in moved.per_class] == perm
    assert np.array_equal(
        np.asarray(moved.confusion_matrix), np.asarray(base.confusion_matrix)[perm][:, perm]
    )


def test_a_class_absent_from_y_true_leaves_ovr_auc_undefined_with_a_reason() -> None:
    y, proba = multiclass_case(5, 600, 4)
    keep = y != 2
    y, proba = y[keep], proba[keep]
    e = evaluate_multiclass(y, proba, labels=[0, 1, 2, 3])
    assert e.roc_auc_ovr_macro is None
    assert "absent" in e.undefined["roc_auc_ovr_macro"]
    assert "2" in e.undefined["roc_auc_ovr_macro"]
    assert e.per_class[2].support == 0
    assert e.per_class[2].recall == 0.0
    assert e.per_class[2].roc_auc is None
    assert_multiclass_matches_sklearn(y, proba, [0, 1, 2, 3])


def test_perfect_multiclass_predictions_score_one_and_a_diagonal_confusion_matrix() -> None:
    y = np.array([0, 1, 2, 2, 1, 0, 2])
    proba = np.eye(3)[y]
    e = evaluate_multiclass(y, proba, labels=[0, 1, 2])
    assert e.accuracy == 1.0
    assert e.macro_f1 == 1.0
    assert e.weighted_f1 == 1.0
    assert e.roc_auc_ovr_macro == 1.0
    assert e.confusion_matrix == [[2, 0, 0], [0, 2, 0], [0, 0, 3]]
    assert e.log_loss == pytest.approx(skm.log_loss(y, proba, labels=[0, 1, 2]), abs=TOL)
    assert e.undefined == {}


def test_multiclass_to_dict_is_json_serialisable() -> None:
    y, proba = multiclass_case(6, 200, 3)
    out = evaluate_multiclass(y, proba, labels=[0, 1, 2]).to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["per_class"][0]["label"] == 0


def test_multiclass_rejects_nan_naming_the_row() -> None:
    y, proba = multiclass_case(8, 50, 3)
    proba[17, 1] = np.nan
    with pytest.raises(ValueError, match="NaN at row 17"):
        evaluate_multiclass(y, proba, labels=[0, 1, 2])


def test_multiclass_rejects_rows_not_summing_to_one_naming_the_row() -> None:
    y, proba = multiclass_case(9, 50, 3)
    proba[23] = [0.5, 0.3, 0.1]
    with pytest.raises(ValueError, match="row 23 sums to"):
        evaluate_multiclass(y, proba, labels=[0, 1, 2])


def test_multiclass_tolerates_row_sums_within_one_in_a_million() -> None:
    y, proba = multiclass_case(10, 50, 3)
    proba[4] = [0.5, 0.3, 0.2 + 5e-7]
    assert evaluate_multiclass(y, proba, labels=[0, 1, 2]).n == 50


def test_multiclass_rejects_probabilities_outside_zero_one_naming_the_row() -> None:
    y, proba = multiclass_case(11, 50, 3)
    proba[9] = [1.2, -0.2, 0.0]
    with pytest.raises(ValueError, match=r"\[0, 1\].*row 9"):
        evaluate_multiclass(y, proba, labels=[0, 1, 2])


def test_multiclass_rejects_a_label_not_in_labels_naming_the_row() -> None:
    y, proba = multiclass_case(12, 50, 3)
    y[31] = 7
    with pytest.raises(ValueError, match="7 at row 31"):
        evaluate_multiclass(y, proba, labels=[0, 1, 2])
    names = np.array(["a", "b", "c"])[multiclass_case(12, 50, 3)[0]]
    names[3] = "z"
    with pytest.raises(ValueError, match="'z' at row 3"):
        evaluate_multiclass(names, proba, labels=["a", "b", "c"])


def test_multiclass_rejects_bad_shapes() -> None:
    y, proba = multiclass_case(13, 20, 3)
    with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
        evaluate_multiclass(y, proba, labels=[0, 1, 2, 3])
    with pytest.raises(ValueError, match="19 rows but proba has 20"):
        evaluate_multiclass(y[:19], proba, labels=[0, 1, 2])
    with pytest.raises(ValueError, match="distinct"):
        evaluate_multiclass(y, proba, labels=[0, 1, 1])


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_regression_metrics_equal_sklearn_on_random_data(seed: int) -> None:
    y, f = regression_case(seed, 1000)
    e = evaluate_regression(y, f)
    assert e.n == 1000
    assert e.mae == pytest.approx(skm.mean_absolute_error(y, f), abs=TOL)
    assert e.rmse == pytest.approx(np.sqrt(skm.mean_squared_error(y, f)), abs=TOL)
    assert e.r2 == pytest.approx(skm.r2_score(y, f), abs=TOL)
    assert e.mape == pytest.approx(skm.mean_absolute_percentage_error(y, f), abs=TOL)
    expected = np.percentile(f - y, [5, 25, 50, 75, 95])
    assert list(e.residual_quantiles) == ["p5", "p25", "p50", "p75", "p95"]
    assert list(e.residual_quantiles.values()) == pytest.approx(expected.tolist(), abs=TOL)
    assert e.undefined == {}


def test_regression_rmse_equals_sklearn_root_mean_squared_error() -> None:
    y, f = regression_case(5, 300)
    assert evaluate_regression(y, f).rmse == pytest.approx(
        skm.root_mean_squared_error(y, f), abs=TOL
    )


def test_perfect_regression_predictions_have_zero_error_and_r2_of_one() -> None:
    y = np.array([1.0, -2.0, 3.5, 8.0])
    e = evaluate_regression(y, y.copy())
    assert (e.mae, e.rmse, e.r2, e.mape) == (0.0, 0.0, 1.0, 0.0)
    assert set(e.residual_quantiles.values()) == {0.0}


def test_constant_y_true_leaves_r2_undefined_with_a_reason() -> None:
    y = np.full(10, 3.0)
    f = np.linspace(2.0, 4.0, 10)
    e = evaluate_regression(y, f)
    assert e.r2 is None
    assert "constant" in e.undefined["r2"]
    assert e.mae == pytest.approx(skm.mean_absolute_error(y, f), abs=TOL)


def test_a_zero_in_y_true_leaves_mape_undefined_naming_the_row() -> None:
    y, f = regression_case(6, 40)
    y[12] = 0.0
    e = evaluate_regression(y, f)
    assert e.mape is None
    assert "row 12" in e.undefined["mape"]
    assert e.r2 == pytest.approx(skm.r2_score(y, f), abs=TOL)


def test_regression_rejects_nan_and_inf_naming_the_row() -> None:
    y, f = regression_case(7, 30)
    bad = f.copy()
    bad[8] = np.nan
    with pytest.raises(ValueError, match="y_pred contains nan at row 8"):
        evaluate_regression(y, bad)
    bad_y = y.copy()
    bad_y[3] = np.inf
    with pytest.raises(ValueError, match="y_true contains inf at row 3"):
        evaluate_regression(bad_y, f)


def test_regression_rejects_a_length_mismatch() -> None:
    y, f = regression_case(8, 30)
    with pytest.raises(ValueError, match="30 rows but y_pred has 29"):
        evaluate_regression(y, f[:29])


def test_regression_to_dict_is_json_serialisable() -> None:
    y, f = regression_case(9, 100)
    y[0] = 0.0
    out = evaluate_regression(y, f).to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["mape"] is None
