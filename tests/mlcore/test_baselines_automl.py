"""mlcore.baselines.automl: keeps to its time budget, ranks what it tried, stops on request."""

import json
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mlcore.baselines import automl, prepare, train_ladder
from mlcore.baselines.automl import candidates


def wide(n: int, seed: int = 0) -> pd.DataFrame:
    """Twenty features (numeric with gaps, two categoricals), a noisy non-linear binary target."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 18)), columns=[f"x{i:02d}" for i in range(18)])
    frame.loc[rng.random(n) < 0.05, "x01"] = np.nan
    frame["shop"] = rng.choice([f"s{i}" for i in range(30)], n)
    frame["tier"] = rng.choice(["gold", "silver", None], n)
    logit = frame["x00"] * frame["x02"] + np.sin(2 * frame["x03"]) + (frame["tier"] == "gold")
    frame["y"] = (logit + rng.logistic(size=n) * 0.5 > 0.3).astype(int)
    return frame


def test_automl_keeps_to_a_short_budget_with_the_refit_inside_it() -> None:
    frame = wide(24_000)
    prepared = prepare(frame.iloc[:18_000], frame.iloc[18_000:], "y", "binary", positive_label="1")
    budget = 3.0
    started = time.perf_counter()
    result = automl(prepared, time_budget_s=budget, n_jobs=1)
    elapsed = time.perf_counter() - started
    assert elapsed <= 1.2 * budget + 0.5, elapsed
    # The full search (16 + 6 + 2 + 1 evaluations up to 18,000 rows) needs far more than 3 s.
    assert len(result.details["leaderboard"]) < 25
    assert result.error is None
    assert result.fit_seconds <= elapsed
    assert roc_auc_score(prepared.y_eval, result.scores) > 0.6
    board = result.details["leaderboard"]
    assert board
    assert set(board[0]) >= {"family", "params", "cv_score", "resource", "fit_seconds"}
    keys = [(e["resource"], e["cv_score"] if e["cv_score"] is not None else -np.inf) for e in board]
    assert keys == sorted(keys, reverse=True)
    json.dumps(result.to_dict(), allow_nan=False)


def test_automl_finishes_a_full_search_on_small_data_and_picks_the_top_of_its_board() -> None:
    frame = wide(900, seed=1)
    prepared = prepare(frame.iloc[:600], frame.iloc[600:], "y", "binary", positive_label="1")
    result = automl(prepared, time_budget_s=60, n_jobs=1, n_candidates=8)
    board = result.details["leaderboard"]
    families = {entry["family"] for entry in board}
    assert families == {"linear", "hist_gradient_boosting", "random_forest", "knn"}
    assert board[0]["resource"] == 600
    assert result.details["best"]["params"] == board[0]["params"]
    assert result.details["final_model"] == "refit on all 600 training rows"
    assert result.family == board[0]["family"]
    assert result.label.startswith("AutoML-lite: ")


def test_automl_candidates_start_from_each_familys_defaults() -> None:
    frame = wide(300)
    prepared = prepare(frame, frame, "x00", "regression")
    pool = candidates(prepared, 6)
    assert pool[:4] == [
        (
            "hist_gradient_boosting",
            {"learning_rate": 0.1, "max_leaf_nodes": 31, "l2_regularization": 0.0},
        ),
        ("linear", {"alpha": 1.0}),
        ("random_forest", {"max_depth": None, "max_features": "sqrt", "min_samples_leaf": 1}),
        ("knn", {"n_neighbors": 15, "weights": "uniform"}),
    ]
    assert pool == candidates(prepared, 6)  # fixed seed


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_automl_serves_multiclass_and_regression(task: str) -> None:
    frame = wide(900, seed=2)
    target = "tier" if task == "multiclass" else "x00"
    frame = frame.dropna(subset=["tier"]) if task == "multiclass" else frame.iloc[:600]
    prepared = prepare(frame.iloc[:400], frame.iloc[400:], target, task)
    result = automl(prepared, time_budget_s=30, n_jobs=1, n_candidates=4)
    assert result.error is None
    if task == "multiclass":
        np.testing.assert_allclose(result.proba.sum(axis=1), 1.0)
        assert result.details["scoring"] == "accuracy"
    else:
        assert result.predicted.shape == (len(frame) - 400,)
        assert result.details["scoring"] == "neg_rmse"


def test_should_stop_ends_the_search_between_candidates_and_the_ladder_with_it() -> None:
    frame = wide(900, seed=3)
    prepared = prepare(frame.iloc[:600], frame.iloc[600:], "y", "binary", positive_label="1")
    calls = []

    def stop_on_the_third_ask() -> bool:
        calls.append(1)
        # The ladder asks once before each of its 5 rungs; AutoML then asks before each candidate.
        return len(calls) > 7

    result = train_ladder(prepared, automl_budget_s=30, n_jobs=1, should_stop=stop_on_the_third_ask)
    assert result.stopped_early
    search = result.get("automl")
    assert search.error == "stopped before the search finished"
    assert search.details["n_tried"] == 2
    assert [r.name for r in result.results][:4] == [
        "dummy",
        "one_rule",
        "linear",
        "gradient_boosting",
    ]
