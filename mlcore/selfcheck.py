"""The self-check: a small, real evaluation that proves the worker path end to end.

It loads scikit-learn's bundled breast-cancer data (no download), profiles it, scores a
logistic regression by stratified 5-fold cross-validation, checks that our sort-based
ROC AUC agrees with scikit-learn's on every fold, and puts a bootstrap interval on the
out-of-fold AUC.
"""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlcore.bootstrap import bootstrap_interval
from mlcore.metrics import roc_auc

ProgressCallback = Callable[[float, str], None]
FOLDS = 5
BOOTSTRAP_REPLICATES = 1000


@dataclass(frozen=True)
class SelfCheckReport:
    dataset: str
    rows: int
    features: int
    positive_share: float
    missing_cells: int
    fold_auc: list[float]
    oof_auc: float
    oof_auc_low: float
    oof_auc_high: float
    max_abs_diff_vs_sklearn: float
    # A list, not a dict: JSON columns (jsonb) do not keep key order, and run order matters.
    step_seconds: list[dict] = field(default_factory=list)

    @property
    def agrees_with_sklearn(self) -> bool:
        return self.max_abs_diff_vs_sklearn <= 1e-9

    def to_dict(self) -> dict:
        return {**asdict(self), "agrees_with_sklearn": self.agrees_with_sklearn}


def run_self_check(
    on_progress: ProgressCallback | None = None, *, pace_seconds: float = 0.0, seed: int = 0
) -> SelfCheckReport:
    """Run every step, reporting progress (0–100) and a message before each one.

    `pace_seconds` pauses after each step so a person (or a test) can watch the bar move.
    """
    report = on_progress or (lambda percent, message: None)
    timings: dict[str, float] = {}

    def step(percent: float, message: str) -> float:
        """Report the step about to run; returns its start time."""
        report(percent, message)
        if pace_seconds:
            time.sleep(pace_seconds)
        return time.perf_counter()

    started = step(2, "Loading the breast-cancer dataset")
    data = load_breast_cancer()
    X, y = data.data, data.target.astype(int)
    timings["load"] = time.perf_counter() - started

    started = step(8, f"Profiling {X.shape[0]} rows × {X.shape[1]} columns")
    missing = int(np.isnan(X).sum())
    positive_share = float(y.mean())
    timings["profile"] = time.perf_counter() - started

    oof = np.empty(y.size, dtype=np.float64)
    fold_auc: list[float] = []
    max_diff = 0.0
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    timings["cross-validation"] = 0.0
    for i, (train, test) in enumerate(splitter.split(X, y)):
        started = step(12 + 12 * i, f"Training fold {i + 1} of {FOLDS}")
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        model.fit(X[train], y[train])
        oof[test] = model.predict_proba(X[test])[:, 1]
        ours = roc_auc(y[test], oof[test])
        max_diff = max(max_diff, abs(ours - roc_auc_score(y[test], oof[test])))
        fold_auc.append(ours)
        timings["cross-validation"] += time.perf_counter() - started

    started = step(72, f"Bootstrapping the AUC ({BOOTSTRAP_REPLICATES} replicates)")

    def on_replicate(done: int) -> None:
        if done % 250 == 0 and done < BOOTSTRAP_REPLICATES:
            report(
                72 + 24 * done / BOOTSTRAP_REPLICATES, f"Bootstrap {done}/{BOOTSTRAP_REPLICATES}"
            )

    interval = bootstrap_interval(
        lambda idx: roc_auc(y[idx], oof[idx]),
        y.size,
        replicates=BOOTSTRAP_REPLICATES,
        seed=seed,
        on_replicate=on_replicate,
    )
    timings["bootstrap"] = time.perf_counter() - started
    max_diff = max(max_diff, abs(interval.estimate - roc_auc_score(y, oof)))
    report(98, "Comparing with scikit-learn")

    return SelfCheckReport(
        dataset="scikit-learn breast cancer (Wisconsin diagnostic)",
        rows=int(X.shape[0]),
        features=int(X.shape[1]),
        positive_share=positive_share,
        missing_cells=missing,
        fold_auc=fold_auc,
        oof_auc=interval.estimate,
        oof_auc_low=interval.low,
        oof_auc_high=interval.high,
        max_abs_diff_vs_sklearn=float(max_diff),
        step_seconds=[{"step": k, "seconds": round(v, 4)} for k, v in timings.items()],
    )
