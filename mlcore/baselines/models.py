"""The fixed rungs of the ladder: dummy, linear, gradient boosting and random forest."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from mlcore.baselines.data import Prepared
from mlcore.baselines.results import BaselineResult, SklearnModel, finish

# One-hot width per categorical column: the rest share an "infrequent" column.
ONE_HOT_MAX_CATEGORIES = 20
REGRESSION_DUMMY = {"rmse": "mean", "r2": "mean", "mae": "median"}
# Below this many rows OpenMP/BLAS threads spin against each other and lose to one thread.
SMALL_DATA_ROWS = 10_000


def available_cores() -> int:
    """Cores this process may run on (the container's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def thread_limit(n_rows: int, n_jobs: int = -1) -> threadpool_limits:
    """A context capping OpenMP/BLAS threads at n_jobs (-1: every core we have; 1 on small data)."""
    cores = available_cores() if n_jobs == -1 else max(1, n_jobs)
    return threadpool_limits(limits=1 if n_rows < SMALL_DATA_ROWS else cores)


def is_classifier_task(prepared: Prepared) -> bool:
    return prepared.task in ("binary", "multiclass")


def fit_model(prepared: Prepared, estimator: Any) -> tuple[SklearnModel, float]:
    """Fit an estimator on the training rows; return the wrapped model and the seconds taken."""
    started = time.perf_counter()
    estimator.fit(prepared.x_train, prepared.y_train)
    seconds = time.perf_counter() - started
    return SklearnModel(estimator, prepared.task, len(prepared.classes)), seconds


def linear_preprocessor(prepared: Prepared) -> ColumnTransformer:
    """Median-imputed scaled numerics beside one-hot categoricals with missing as a level."""
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    # Missing is kept as its own level (code -1): missingness often carries signal.
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value=-1.0)),
            (
                "one_hot",
                OneHotEncoder(
                    handle_unknown="ignore",
                    max_categories=ONE_HOT_MAX_CATEGORIES,
                    sparse_output=False,
                ),
            ),
        ]
    )
    return ColumnTransformer(
        [("numeric", numeric, prepared.numeric), ("categorical", categorical, prepared.categorical)]
    )


def categorical_mask(prepared: Prepared) -> list[bool]:
    """HistGradientBoosting's categorical_features for the prepared column order."""
    return [False] * len(prepared.numeric) + [True] * len(prepared.categorical)


def linear_estimator(prepared: Prepared, c: float = 1.0, alpha: float = 1.0) -> Pipeline:
    """Logistic regression (classification) or ridge (regression) behind the linear preprocessor."""
    model = (
        LogisticRegression(C=c, max_iter=1000)
        if is_classifier_task(prepared)
        else Ridge(alpha=alpha)
    )
    return Pipeline([("prepare", linear_preprocessor(prepared)), ("model", model)])


def boosting_estimator(prepared: Prepared, **params: Any) -> Any:
    """HistGradientBoosting with native categorical splits on the prepared codes."""
    cls = (
        HistGradientBoostingClassifier
        if is_classifier_task(prepared)
        else HistGradientBoostingRegressor
    )
    return cls(categorical_features=categorical_mask(prepared), random_state=0, **params)


def forest_estimator(prepared: Prepared, n_jobs: int = -1, **params: Any) -> Any:
    """Random forest on the prepared codes (NaN handled natively by the trees)."""
    cls = RandomForestClassifier if is_classifier_task(prepared) else RandomForestRegressor
    return cls(random_state=0, n_jobs=n_jobs, **{"n_estimators": 100, **params})


def dummy(prepared: Prepared, *, metric: str = "rmse") -> BaselineResult:
    """Class prior (classification) or the constant that is optimal for the metric (regression)."""
    if is_classifier_task(prepared):
        estimator: Any = DummyClassifier(strategy="prior")
        label, params = "Dummy (class prior)", {"strategy": "prior"}
    else:
        if metric not in REGRESSION_DUMMY:
            raise ValueError(f"metric must be one of {', '.join(REGRESSION_DUMMY)}")
        strategy = REGRESSION_DUMMY[metric]
        estimator = DummyRegressor(strategy=strategy)
        label, params = f"Dummy ({strategy})", {"strategy": strategy, "metric": metric}
    model, seconds = fit_model(prepared, estimator)
    details: dict[str, Any] = {}
    if prepared.task == "binary":
        details["train_prior"] = float(np.mean(prepared.y_train))
    elif prepared.task == "regression":
        details["constant"] = float(np.ravel(estimator.constant_)[0])
    return finish(
        prepared,
        name="dummy",
        label=label,
        family="dummy",
        params=params,
        model=model,
        fit_seconds=seconds,
        details=details,
    )


def linear(prepared: Prepared) -> BaselineResult:
    """Logistic regression or ridge on imputed, scaled and one-hot-encoded features."""
    classifier = is_classifier_task(prepared)
    model, seconds = fit_model(prepared, linear_estimator(prepared))
    return finish(
        prepared,
        name="linear",
        label="Logistic regression" if classifier else "Ridge regression",
        family="logistic" if classifier else "ridge",
        params={"C": 1.0, "max_iter": 1000} if classifier else {"alpha": 1.0},
        model=model,
        fit_seconds=seconds,
    )


def gradient_boosting(prepared: Prepared, *, n_jobs: int = -1) -> BaselineResult:
    """HistGradientBoosting with default settings and native categorical support."""
    with thread_limit(len(prepared.y_train), n_jobs):
        model, seconds = fit_model(prepared, boosting_estimator(prepared))
    with thread_limit(len(prepared.y_eval), n_jobs):
        return _boosting_result(prepared, model, seconds)


def _boosting_result(prepared: Prepared, model: SklearnModel, seconds: float) -> BaselineResult:
    return finish(
        prepared,
        name="gradient_boosting",
        label="Gradient boosting",
        family="hist_gradient_boosting",
        params={"random_state": 0, "n_iter": int(model.estimator.n_iter_)},
        model=model,
        fit_seconds=seconds,
    )


def random_forest(prepared: Prepared, *, n_jobs: int = -1) -> BaselineResult:
    """A 100-tree random forest."""
    model, seconds = fit_model(prepared, forest_estimator(prepared, n_jobs=n_jobs))
    return finish(
        prepared,
        name="random_forest",
        label="Random forest",
        family="random_forest",
        params={"n_estimators": 100, "random_state": 0},
        model=model,
        fit_seconds=seconds,
    )
