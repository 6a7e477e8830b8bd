"""Train the ladder in order, reporting progress and stopping cleanly between models."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from mlcore.baselines.automl import automl
from mlcore.baselines.data import Prepared
from mlcore.baselines.models import (
    dummy,
    gradient_boosting,
    linear,
    random_forest,
    thread_limit,
)
from mlcore.baselines.one_rule import one_rule
from mlcore.baselines.results import BaselineResult, LadderResult

# Looked up at call time so a caller (or a test) can swap a rung.
MODELS: dict[str, Callable[..., BaselineResult]] = {
    "dummy": dummy,
    "one_rule": one_rule,
    "linear": linear,
    "gradient_boosting": gradient_boosting,
    "random_forest": random_forest,
    "automl": automl,
}
LABELS = {
    "dummy": "Dummy",
    "one_rule": "One rule",
    "linear": "Linear model",
    "gradient_boosting": "Gradient boosting",
    "random_forest": "Random forest",
    "automl": "AutoML-lite",
}


def _kwargs(name: str, options: dict[str, Any]) -> dict[str, Any]:
    if name == "dummy":
        return {"metric": options["regression_metric"]}
    if name in ("random_forest", "gradient_boosting"):
        return {"n_jobs": options["n_jobs"]}
    if name == "automl":
        return {
            "time_budget_s": options["automl_budget_s"],
            "n_jobs": options["n_jobs"],
            "should_stop": options["should_stop"],
        }
    return {}


def train_ladder(
    prepared: Prepared,
    *,
    include_forest: bool = False,
    automl_budget_s: float | None = 60.0,
    n_jobs: int = -1,
    regression_metric: str = "rmse",
    on_progress: Callable[[str, int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LadderResult:
    """Dummy, one rule, linear, gradient boosting[, random forest][, AutoML]; failures kept."""
    started = time.perf_counter()
    names = ["dummy", "one_rule", "linear", "gradient_boosting"]
    if include_forest:
        names.append("random_forest")
    if automl_budget_s is not None:
        names.append("automl")
    options = {
        "n_jobs": n_jobs,
        "automl_budget_s": automl_budget_s,
        "regression_metric": regression_metric,
        "should_stop": should_stop,
    }
    results: list[BaselineResult] = []
    stopped = False
    # OpenMP (gradient boosting) and BLAS would otherwise take every core of the host.
    with thread_limit(len(prepared.y_train), n_jobs):
        for index, name in enumerate(names):
            if should_stop is not None and should_stop():
                stopped = True
                break
            if on_progress is not None:
                on_progress(name, index, len(names))
            step_started = time.perf_counter()
            try:
                result = MODELS[name](prepared, **_kwargs(name, options))
            except Exception as exc:  # one broken rung must not cost the others
                result = BaselineResult(
                    name=name,
                    label=LABELS[name],
                    family=name,
                    params={},
                    fit_seconds=time.perf_counter() - step_started,
                    predict_seconds=0.0,
                    error=f"{type(exc).__name__}: {exc}",
                )
            results.append(result)
            if result.details.get("stopped"):
                stopped = True
                break
    return LadderResult(
        task=prepared.task,
        classes=list(prepared.classes),
        positive_label=prepared.positive_label,
        results=results,
        stopped_early=stopped,
        total_seconds=time.perf_counter() - started,
    )
