"""The binary metric suite at an operating threshold, plus curves and costs, from one sort.

Every metric equals scikit-learn's on the same input (predictions `score >= threshold`).
Log loss, Brier and ECE are summed over the distinct scores (count × term), which is the
same sum as over rows but costs one log per distinct value.

ECE (expected calibration error, no scikit-learn reference): 10 equal-width bins of the
positive-class probability, bin = min(floor(10·p), 9); ECE = Σ_b (n_b / n)·|mean(y in b) −
mean(p in b)|, empty bins contributing nothing.
"""

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from mlcore.costs import DecisionCosts, NoModelCosts, no_model_costs
from mlcore.evaluation.sweep import (
    ConfusionCounts,
    Sweep,
    sorted_keys,
    sweep_from_keys,
    validate_binary,
)

MAX_CURVE_POINTS = 500
ECE_BINS = 10
ONE_CLASS_REASON = "undefined: only one class is present in y_true"


def _div(num: float, den: float) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True)
class CostSummary:
    """Expected cost at the operating, cost-optimal and Bayes thresholds, and without a model."""

    cost_per_decision: float
    cost_per_month: float | None
    optimal_threshold: float
    optimal_cost_per_decision: float
    optimal_cost_per_month: float | None
    bayes_threshold: float
    bayes_cost_per_decision: float
    bayes_cost_per_month: float | None
    no_model: NoModelCosts

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "no_model"}
        out["no_model"] = self.no_model.to_dict()
        return out


@dataclass(frozen=True)
class Reliability:
    """The ECE bins: rows, mean predicted probability and observed positive rate per bin."""

    bin_edges: list[float]
    count: list[int]
    mean_predicted: list[float | None]
    observed_rate: list[float | None]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Curve:
    """The sweep downsampled for storage (≤ 500 points, exact optimal points kept)."""

    thresholds: list[float]
    tpr: list[float]
    fpr: list[float]
    precision: list[float]
    f1: list[float]
    cost_per_decision: list[float] | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class BinaryEvaluation:
    """Binary metric suite at the operating threshold with curve, cost and reasons for gaps."""

    n: int
    n_pos: int
    n_neg: int
    threshold: float
    accuracy: float
    balanced_accuracy: float
    precision: float
    recall: float
    specificity: float
    f1: float
    roc_auc: float | None
    pr_auc: float | None
    log_loss: float
    brier: float
    ece: float
    reliability: Reliability
    confusion: ConfusionCounts
    best_f1_threshold: float
    best_f1: float
    curve: Curve
    cost: CostSummary | None
    undefined: dict[str, str]
    sweep: Sweep = field(repr=False, compare=False)

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "sweep"}
        out["confusion"] = self.confusion.to_dict()
        out["reliability"] = self.reliability.to_dict()
        out["curve"] = self.curve.to_dict()
        out["cost"] = None if self.cost is None else self.cost.to_dict()
        out["undefined"] = dict(self.undefined)
        return out


def bayes_threshold(costs: DecisionCosts) -> float:
    """Threshold calibrated probabilities imply: positive when p·(c_fn+v_tp) ≥ (1−p)·(c_fp+v_tn)."""
    against = costs.cost_fp + costs.value_tn
    total = against + costs.cost_fn + costs.value_tp
    return against / total if total else 0.5


def cost_per_decision(sweep: Sweep, costs: DecisionCosts) -> np.ndarray:
    """Expected cost per decision (net of values) at every threshold of the sweep."""
    total = (
        sweep.fn * costs.cost_fn
        + sweep.fp * costs.cost_fp
        - sweep.tp * costs.value_tp
        - sweep.tn * costs.value_tn
    )
    return total / sweep.n


def _cost_of(counts: ConfusionCounts, costs: DecisionCosts, n: int) -> float:
    return (
        counts.fn * costs.cost_fn
        + counts.fp * costs.cost_fp
        - counts.tp * costs.value_tp
        - counts.tn * costs.value_tn
    ) / n


def _per_month(value: float, decisions_per_month: float | None) -> float | None:
    return None if decisions_per_month is None else value * decisions_per_month


def _curve_indices(size: int, keep: list[int]) -> np.ndarray:
    if size <= MAX_CURVE_POINTS:
        return np.arange(size)
    even = np.linspace(0, size - 1, MAX_CURVE_POINTS - len(keep)).round().astype(np.int64)
    return np.unique(np.r_[even, keep])


def _calibration(
    values: np.ndarray, counts: np.ndarray, n: int
) -> tuple[float, float, float, Reliability]:
    """Log loss (sklearn's eps clipping), Brier, ECE and its bins from distinct values."""
    neg, pos = counts
    eps = np.finfo(np.float64).eps
    log_loss = -(
        np.dot(pos, np.log(np.clip(values, eps, 1 - eps)))
        + np.dot(neg, np.log(np.clip(1 - values, eps, 1 - eps)))
    )
    brier = np.dot(pos, (1 - values) ** 2) + np.dot(neg, values**2)
    bins = np.minimum((values * ECE_BINS).astype(np.int64), ECE_BINS - 1)
    in_bin = np.bincount(bins, weights=neg + pos, minlength=ECE_BINS)
    pos_in_bin = np.bincount(bins, weights=pos, minlength=ECE_BINS)
    p_in_bin = np.bincount(bins, weights=values * (neg + pos), minlength=ECE_BINS)
    ece = float(np.abs(pos_in_bin - p_in_bin).sum()) / n
    filled = in_bin > 0
    reliability = Reliability(
        bin_edges=np.linspace(0.0, 1.0, ECE_BINS + 1).tolist(),
        count=in_bin.astype(np.int64).tolist(),
        mean_predicted=[
            float(p / c) if ok else None for p, c, ok in zip(p_in_bin, in_bin, filled, strict=True)
        ],
        observed_rate=[
            float(q / c) if ok else None
            for q, c, ok in zip(pos_in_bin, in_bin, filled, strict=True)
        ],
    )
    return float(log_loss) / n, float(brier) / n, ece, reliability


def evaluate_binary(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    threshold: float = 0.5,
    costs: DecisionCosts | None = None,
    decisions_per_month: float | None = None,
) -> BinaryEvaluation:
    """Metric suite, sweep summary and costs for 0/1 labels and positive-class probabilities."""
    y, s = validate_binary(y_true, scores)
    sweep, values, counts = sweep_from_keys(sorted_keys(y, s))
    n, n_pos, n_neg = sweep.n, sweep.n_pos, sweep.n_neg
    at = sweep.at(threshold)
    recall, specificity = _div(at.tp, n_pos), _div(at.tn, n_neg)
    present = [r for r, size in ((recall, n_pos), (specificity, n_neg)) if size]
    undefined = {}
    roc_auc, pr_auc = sweep.roc_auc(), sweep.average_precision()
    if roc_auc is None:
        undefined["roc_auc"] = ONE_CLASS_REASON
    if pr_auc is None:
        undefined["pr_auc"] = "undefined: no positive case in y_true"
    log_loss, brier, ece, reliability = _calibration(values, counts, n)

    f1_all = sweep.f1
    best_f1_index = int(np.argmax(f1_all))
    keep = [best_f1_index, max(sweep.index_at(threshold), 0)]
    cost_all = None
    cost = None
    if costs is not None:
        cost_all = cost_per_decision(sweep, costs)
        best = int(np.argmin(cost_all))
        keep.append(best)
        bayes = bayes_threshold(costs)
        here = _cost_of(at, costs, n)
        optimal = float(cost_all[best])
        at_bayes = _cost_of(sweep.at(bayes), costs, n)
        cost = CostSummary(
            cost_per_decision=here,
            cost_per_month=_per_month(here, decisions_per_month),
            optimal_threshold=float(sweep.thresholds[best]),
            optimal_cost_per_decision=optimal,
            optimal_cost_per_month=_per_month(optimal, decisions_per_month),
            bayes_threshold=bayes,
            bayes_cost_per_decision=at_bayes,
            bayes_cost_per_month=_per_month(at_bayes, decisions_per_month),
            no_model=no_model_costs(
                costs, prevalence=n_pos / n, decisions_per_month=decisions_per_month
            ),
        )
    idx = _curve_indices(sweep.thresholds.size, keep)
    curve = Curve(
        thresholds=sweep.thresholds[idx].tolist(),
        tpr=(sweep.tp[idx] / n_pos if n_pos else np.zeros(idx.size)).tolist(),
        fpr=(sweep.fp[idx] / n_neg if n_neg else np.zeros(idx.size)).tolist(),
        precision=(sweep.tp[idx] / (sweep.tp[idx] + sweep.fp[idx])).tolist(),
        f1=f1_all[idx].tolist(),
        cost_per_decision=None if cost_all is None else cost_all[idx].tolist(),
    )
    return BinaryEvaluation(
        n=n,
        n_pos=n_pos,
        n_neg=n_neg,
        threshold=float(threshold),
        accuracy=(at.tp + at.tn) / n,
        balanced_accuracy=sum(present) / len(present),
        precision=_div(at.tp, at.tp + at.fp),
        recall=recall,
        specificity=specificity,
        f1=_div(2 * at.tp, 2 * at.tp + at.fp + at.fn),
        roc_auc=roc_auc,
        pr_auc=pr_auc,
        log_loss=log_loss,
        brier=brier,
        ece=ece,
        reliability=reliability,
        confusion=at,
        best_f1_threshold=float(sweep.thresholds[best_f1_index]),
        best_f1=float(f1_all[best_f1_index]),
        curve=curve,
        cost=cost,
        undefined=undefined,
        sweep=sweep,
    )
