"""AutoML-lite: successive halving over a few pipeline families within a wall-clock budget."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline

from mlcore.baselines.data import Prepared
from mlcore.baselines.models import (
    boosting_estimator,
    forest_estimator,
    is_classifier_task,
    linear_estimator,
    linear_preprocessor,
    thread_limit,
)
from mlcore.baselines.results import (
    DEFAULT_METRIC,
    LOWER_IS_BETTER,
    BaselineResult,
    SklearnModel,
    finish,
    higher_is_better_score,
)

ETA = 3
CV_FOLDS = 3
MIN_RESOURCE = 300
# kNN predicts in O(train × rows): beyond this it is never a cheap baseline.
KNN_MAX_ROWS = 10_000
# Fit times grow a little faster than linearly in rows (sorting, deeper trees).
SAFETY = 1.3
# At most this share of the budget is held back for the final refit and prediction.
REFIT_SHARE = 0.3
PREDICT_SHARE = 0.1


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def _sample(family: str, rng: np.random.Generator, first: bool, classifier: bool) -> dict:
    """Parameters for one candidate of a family; the first of each family is its default."""
    if family == "linear":
        key, low, high = ("C", 1e-3, 1e2) if classifier else ("alpha", 1e-2, 1e3)
        return {key: 1.0 if first else _log_uniform(rng, low, high)}
    if family == "hist_gradient_boosting":
        if first:
            return {"learning_rate": 0.1, "max_leaf_nodes": 31, "l2_regularization": 0.0}
        return {
            "learning_rate": _log_uniform(rng, 0.03, 0.3),
            "max_leaf_nodes": int(rng.choice([7, 15, 31, 63])),
            "l2_regularization": float(rng.choice([0.0, 0.1, 1.0, 10.0])),
        }
    if family == "random_forest":
        if first:
            return {"max_depth": None, "max_features": "sqrt", "min_samples_leaf": 1}
        depth = rng.choice([0, 8, 16])
        return {
            "max_depth": None if depth == 0 else int(depth),
            "max_features": ["sqrt", 0.5][int(rng.integers(2))],
            "min_samples_leaf": int(rng.choice([1, 3, 10])),
        }
    return {
        "n_neighbors": 15 if first else int(rng.choice([5, 15, 31, 63])),
        "weights": "uniform" if first else ["uniform", "distance"][int(rng.integers(2))],
    }


def build(prepared: Prepared, family: str, params: dict, n_jobs: int) -> Any:
    """An unfitted pipeline of the family with the given parameters."""
    if family == "linear":
        return linear_estimator(prepared, c=params.get("C", 1.0), alpha=params.get("alpha", 1.0))
    if family == "hist_gradient_boosting":
        return boosting_estimator(prepared, **params)
    if family == "random_forest":
        return forest_estimator(prepared, n_jobs=n_jobs, **params)
    cls = KNeighborsClassifier if is_classifier_task(prepared) else KNeighborsRegressor
    return Pipeline(
        [("prepare", linear_preprocessor(prepared)), ("model", cls(n_jobs=n_jobs, **params))]
    )


def candidates(prepared: Prepared, count: int) -> list[tuple[str, dict]]:
    """Round-robin over the families so each is represented, defaults first."""
    families = ["hist_gradient_boosting", "linear", "random_forest"]
    if prepared.numeric and len(prepared.y_train) <= KNN_MAX_ROWS:
        families.append("knn")
    rng = np.random.default_rng(0)
    classifier = is_classifier_task(prepared)
    return [
        (
            families[i % len(families)],
            _sample(families[i % len(families)], rng, i < len(families), classifier),
        )
        for i in range(count)
    ]


def _folds(prepared: Prepared, rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    y = prepared.y_train[rows]
    if is_classifier_task(prepared) and np.bincount(y).min(initial=0) >= CV_FOLDS:
        split = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=0).split(rows, y)
    else:
        split = KFold(CV_FOLDS, shuffle=True, random_state=0).split(rows)
    return [(rows[a], rows[b]) for a, b in split]


def _sort_key(entry: dict) -> tuple:
    score = entry["cv_score"]
    return (-entry["resource"], -(score if score is not None else -math.inf))


@dataclass(frozen=True)
class FoldAverage:
    """The mean prediction of a candidate's cross-validation fits: a final model with no refit."""

    models: list[SklearnModel] = field(repr=False)

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        return np.mean([model.predict(x) for model in self.models], axis=0)


class _Clock:
    """Fold times seen per family, scaled linearly to other sizes (pessimistic for trees)."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[int, float]] = {}

    def record(self, family: str, rows: int, seconds: float) -> None:
        last = self.seen.get(family)
        if last is None or rows > last[0] or (rows == last[0] and seconds > last[1]):
            self.seen[family] = (rows, seconds)

    def estimate(self, family: str, rows: float) -> float:
        if family not in self.seen:
            return 0.0
        seen_rows, seconds = self.seen[family]
        return SAFETY * seconds * max(rows / seen_rows, 1.0 if rows >= seen_rows else 0.0)


def automl(
    prepared: Prepared,
    *,
    time_budget_s: float = 60.0,
    n_jobs: int = -1,
    should_stop: Callable[[], bool] | None = None,
    n_candidates: int = 16,
) -> BaselineResult:
    """Successive halving within the budget, final refit included; leaderboard best first."""
    started = time.perf_counter()
    deadline = started + time_budget_s
    n_train, n_eval = len(prepared.y_train), len(prepared.y_eval)
    rows_all = np.random.default_rng(0).permutation(n_train)
    r_min = min(n_train, MIN_RESOURCE)
    pool = candidates(prepared, n_candidates)
    n_rungs = 1 + min(
        int(math.log(max(n_train / r_min, 1), ETA)), math.ceil(math.log(n_candidates, ETA))
    )
    leaderboard: list[dict] = []
    clock = _Clock()
    reserve = 0.0  # held back for the final refit + prediction of the current best
    best: dict | None = None
    stopped = False
    alive = list(range(len(pool)))
    for rung in range(n_rungs):
        resource = n_train if rung == n_rungs - 1 else int(n_train / ETA ** (n_rungs - 1 - rung))
        resource = max(resource, r_min)
        folds = _folds(prepared, rows_all[:resource])
        scored: list[tuple[float, int]] = []
        for index in alive:
            if should_stop is not None and should_stop():
                stopped = True
                break
            family, params = pool[index]
            with thread_limit(resource, n_jobs):
                entry = _evaluate(
                    prepared, family, params, folds, n_jobs, deadline - reserve, clock
                )
            if entry is None:
                continue  # no time left for even one fold of it
            entry["resource"] = resource
            leaderboard.append(entry)
            if entry["cv_score"] is None:
                continue
            scored.append((entry["cv_score"], index))
            if best is not None and _sort_key(entry) >= _sort_key(best):
                entry.pop("_fold_models", None)
            if best is None or _sort_key(entry) < _sort_key(best):
                if best is not None:
                    best.pop("_fold_models", None)  # only the best's fold fits are kept
                best = entry
                refit = clock.estimate(family, n_train + n_eval / 2)
                # A refit too dear for its share falls back to the fold fits, which only predict.
                share = REFIT_SHARE if refit <= REFIT_SHARE * time_budget_s else PREDICT_SHARE
                reserve = min(refit, share * time_budget_s)
        if stopped or not scored:
            break
        scored.sort(key=lambda s: -s[0])
        alive = [index for _, index in scored[: max(1, math.ceil(len(scored) / ETA))]]
    leaderboard.sort(key=_sort_key)
    kept = best.pop("_fold_models", []) if best is not None else []
    for entry in leaderboard:
        entry.pop("_fold_models", None)
    if best is not None:
        best["_fold_models"] = kept
    scoring = DEFAULT_METRIC[prepared.task]
    details: dict[str, Any] = {
        "time_budget_s": time_budget_s,
        "scoring": f"neg_{scoring}" if scoring in LOWER_IS_BETTER else scoring,
        "leaderboard": leaderboard,
        "n_tried": len(leaderboard),
    }
    if stopped or best is None:
        reason = "stopped before the search finished" if stopped else "no candidate fitted in time"
        return BaselineResult(
            name="automl",
            label="AutoML-lite",
            family="automl",
            params={},
            fit_seconds=time.perf_counter() - started,
            predict_seconds=0.0,
            details={**details, "stopped": stopped},
            error=reason,
        )
    # Refit on all rows when the (pessimistic) estimate fits the rest of the budget; otherwise
    # average the best candidate's fold fits, which costs no fitting at all.
    left = deadline - time.perf_counter()
    fold_models = best.pop("_fold_models")
    if clock.estimate(best["family"], n_train + n_eval / 2) <= left:
        estimator = build(prepared, best["family"], best["params"], n_jobs)
        with thread_limit(n_train, n_jobs):
            estimator.fit(prepared.x_train, prepared.y_train)
        model: Any = SklearnModel(estimator, prepared.task, len(prepared.classes))
        final = f"refit on all {n_train} training rows"
    else:
        model = FoldAverage(fold_models)
        final = f"average of {len(fold_models)} cross-validation fits on {best['resource']} rows"
    details.update(
        best={k: best[k] for k in ("family", "params", "cv_score", "resource")},
        final_model=final,
    )
    return finish(
        prepared,
        name="automl",
        label=f"AutoML-lite: {best['family'].replace('_', ' ')}",
        family=best["family"],
        params=dict(best["params"]),
        model=model,
        fit_seconds=time.perf_counter() - started,
        details=details,
    )


def _evaluate(
    prepared: Prepared,
    family: str,
    params: dict,
    folds: list[tuple[np.ndarray, np.ndarray]],
    n_jobs: int,
    give_up_at: float,
    clock: _Clock,
) -> dict | None:
    """Cross-validate one candidate, fold by fold, while the next fold fits before give_up_at."""
    entry: dict[str, Any] = {"family": family, "params": dict(params), "cv_score": None}
    template = build(prepared, family, params, n_jobs)
    started = time.perf_counter()
    scores = []
    fitted: list[SklearnModel] = []
    try:
        for fit_rows, test_rows in folds:
            if time.perf_counter() + clock.estimate(family, fit_rows.size) > give_up_at:
                if not scores:
                    return None
                entry["error"] = "out of time"
                break
            fold_started = time.perf_counter()
            estimator = clone(template).fit(
                prepared.x_train.iloc[fit_rows], prepared.y_train[fit_rows]
            )
            model = SklearnModel(estimator, prepared.task, len(prepared.classes))
            fitted.append(model)
            predictions = model.predict(prepared.x_train.iloc[test_rows])
            scores.append(
                higher_is_better_score(prepared.task, prepared.y_train[test_rows], predictions)
            )
            clock.record(family, fit_rows.size, time.perf_counter() - fold_started)
        else:
            entry["cv_score"] = float(np.mean(scores))
            entry["_fold_models"] = fitted
    except Exception as exc:  # a candidate that cannot fit is a leaderboard line, not a crash
        entry["error"] = f"{type(exc).__name__}: {exc}"
    entry["fit_seconds"] = time.perf_counter() - started
    return entry
