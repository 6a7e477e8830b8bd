"""Robustness of a fitted baseline: each feature knocked out in turn, and injected outliers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlcore.baselines.data import Prepared
from mlcore.baselines.models import thread_limit
from mlcore.baselines.results import (
    DEFAULT_METRIC,
    LOWER_IS_BETTER,
    BaselineResult,
    json_safe,
    metric_value,
)

MAX_FEATURES = 30
OUTLIER_SHARE = 0.05
OUTLIER_IQRS = 10.0


@dataclass(frozen=True)
class FeatureRobustness:
    """The metric with one feature set to missing on every evaluation row."""

    feature: str
    clean: float | None
    missing: float | None
    drop: float | None

    def to_dict(self) -> dict[str, Any]:
        return json_safe(self.__dict__)


@dataclass(frozen=True)
class RobustnessReport:
    """Per-feature drops (largest first) and the drop under injected numeric outliers."""

    model: str
    metric: str
    clean: float | None
    features: list[FeatureRobustness]
    outlier_metric: float | None
    outlier_drop: float | None
    outlier_columns: list[str]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return json_safe({**self.__dict__, "features": [f.to_dict() for f in self.features]})


def _drop(metric: str, clean: float, perturbed: float) -> float:
    # A drop is always "how much worse": an RMSE that rises is a positive drop.
    return perturbed - clean if metric in LOWER_IS_BETTER else clean - perturbed


def with_outliers(prepared: Prepared, x: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Numeric columns with 5 % of rows pushed 10 IQRs beyond the training quartiles."""
    rng = np.random.default_rng(seed)
    out = x.copy()
    n = len(out)
    count = max(1, int(round(OUTLIER_SHARE * n)))
    for name in prepared.numeric:
        train = prepared.x_train[name].to_numpy()
        q1, q3 = np.nanquantile(train, [0.25, 0.75])
        iqr = q3 - q1
        if not iqr > 0:
            spread = np.nanstd(train)
            iqr = spread if spread > 0 else 1.0
        rows = rng.choice(n, count, replace=False)
        upward = rng.random(count) < 0.5
        values = out[name].to_numpy(copy=True)
        values[rows] = np.where(upward, q3 + OUTLIER_IQRS * iqr, q1 - OUTLIER_IQRS * iqr)
        out[name] = values
    return out


def robustness(
    prepared: Prepared, fitted_model: BaselineResult, metric: str | None = None
) -> RobustnessReport:
    """Re-score the model with each feature missing and with outliers; biggest drop first."""
    if fitted_model.model is None:
        raise ValueError(f"'{fitted_model.name}' has no fitted model to re-score")
    metric = metric or DEFAULT_METRIC[prepared.task]
    predict = fitted_model.model.predict
    y = prepared.y_eval
    x = prepared.x_eval

    def score(frame: pd.DataFrame) -> float:
        with thread_limit(len(frame)):
            return metric_value(metric, y, predict(frame))

    clean = score(x)
    names = prepared.features
    note = None
    if len(names) > MAX_FEATURES:
        note = f"examined the first {MAX_FEATURES} of {len(names)} features"
        names = names[:MAX_FEATURES]
    rows = []
    for name in names:
        knocked = x.copy()
        # Prepared features are all float codes, so NaN is "missing" for numerics and categoricals.
        knocked[name] = np.nan
        value = score(knocked)
        rows.append(FeatureRobustness(name, clean, value, _drop(metric, clean, value)))
    rows.sort(key=lambda r: -(r.drop if r.drop is not None and np.isfinite(r.drop) else -np.inf))
    outlier_metric = outlier_drop = None
    if prepared.numeric:
        outlier_metric = score(with_outliers(prepared, x))
        outlier_drop = _drop(metric, clean, outlier_metric)
    return RobustnessReport(
        model=fitted_model.name,
        metric=metric,
        clean=clean,
        features=rows,
        outlier_metric=outlier_metric,
        outlier_drop=outlier_drop,
        outlier_columns=list(prepared.numeric),
        note=note,
    )
