"""Bootstrap intervals on ROC AUC, F1 and expected cost without re-sorting per replicate.

Sort once, then collapse rows into groups of identical (score, label), ascending by score
with the negative group before the positive one at a tied score. A replicate is a vector of
weights per group and every statistic is a weighted cumulative sum over that fixed order:

- negatives' cumulative weight below each positive group gives the Mann–Whitney count
  (a tied negative group counted half), hence ROC AUC;
- the weight below the threshold's position splits into TN / FN, hence F1 and cost.

Weights follow the Poisson bootstrap: each row is drawn Poisson(1) times, independently,
instead of a multinomial with a fixed total n. For large n the two agree (the multinomial is
the Poisson conditioned on its total), and the Poisson form needs no sequential draws: a
group of c identical rows gets one Poisson(c) draw, exactly the sum of its rows' draws. The
common group of one row is drawn by looking a uniform 16-bit integer up in a Poisson(1)
quantile table (probabilities resolved to 2⁻¹⁶), several times faster than rng.poisson.
Each replicate has its own generator spawned from the seed, so results do not depend on the
number of threads, and replicates run on a small thread pool (numpy releases the GIL).
"""

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mlcore.bootstrap import Interval
from mlcore.costs import DecisionCosts
from mlcore.evaluation.sweep import sorted_keys, validate_binary

_ONE = np.uint64(1)


def _poisson_one_table() -> np.ndarray:
    """Poisson(1) quantile of (u + ½) / 2¹⁶ for every 16-bit u."""
    cdf = np.cumsum([math.exp(-1) / math.factorial(k) for k in range(20)])
    return np.searchsorted(cdf, (np.arange(65536) + 0.5) / 65536).astype(np.float64)


_TABLE = _poisson_one_table()


@dataclass(frozen=True)
class BootstrapIntervals:
    """Percentile intervals (Poisson bootstrap, fixed seed) on the headline metrics and cost."""

    roc_auc: Interval | None
    f1: Interval
    cost_per_decision: Interval | None

    def to_dict(self) -> dict:
        return {
            name: None if value is None else value.to_dict()
            for name, value in self.__dict__.items()
        }


@dataclass(frozen=True)
class _Groups:
    counts: np.ndarray
    is_pos: np.ndarray
    is_neg: np.ndarray
    single: np.ndarray
    multi: np.ndarray
    tie_pos: np.ndarray
    tie_neg: np.ndarray
    split: int


def _groups(y: np.ndarray, s: np.ndarray, threshold: float) -> _Groups:
    keys = sorted_keys(y, s)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    counts = np.diff(np.r_[starts, keys.size]).astype(np.float64)
    group_keys = keys[starts]
    del keys
    is_pos = (group_keys & _ONE).astype(bool)
    values = (group_keys >> _ONE).view(np.float64)
    tied = np.flatnonzero(is_pos[1:] & ~is_pos[:-1] & (values[1:] == values[:-1])) + 1
    return _Groups(
        counts=counts,
        is_pos=is_pos.astype(np.float64),
        is_neg=(~is_pos).astype(np.float64),
        single=np.flatnonzero(counts == 1),
        multi=np.flatnonzero(counts > 1),
        tie_pos=tied,
        tie_neg=tied - 1,
        split=int(np.searchsorted(values, threshold, side="left")),
    )


def _statistics(g: _Groups, w: np.ndarray, costs: DecisionCosts | None) -> tuple[float, ...]:
    """(AUC, F1, cost per decision) for group weights w; NaN where undefined."""
    neg_cum = np.cumsum(w * g.is_neg)
    total = float(w.sum())
    neg = float(neg_cum[-1])
    pos = total - neg
    if pos > 0 and neg > 0:
        wins = float(np.dot(w * g.is_pos, neg_cum))
        wins -= 0.5 * float(np.dot(w[g.tie_pos], w[g.tie_neg]))
        auc = wins / (pos * neg)
    else:
        auc = math.nan
    tn = float(neg_cum[g.split - 1]) if g.split else 0.0
    fn = float(w[: g.split].sum()) - tn
    fp, tp = neg - tn, pos - fn
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    cost = math.nan
    if costs is not None and total:
        cost = (
            fn * costs.cost_fn + fp * costs.cost_fp - tp * costs.value_tp - tn * costs.value_tn
        ) / total
    return auc, f1, cost


def _replicate(g: _Groups, seed: np.random.SeedSequence, costs: DecisionCosts | None) -> tuple:
    rng = np.random.default_rng(seed)
    if g.multi.size == 0:
        w = _TABLE[rng.integers(0, 65536, size=g.counts.size, dtype=np.uint16)]
    else:
        w = np.empty(g.counts.size)
        w[g.single] = _TABLE[rng.integers(0, 65536, size=g.single.size, dtype=np.uint16)]
        w[g.multi] = rng.poisson(g.counts[g.multi])
    return _statistics(g, w, costs)


def _interval(estimate: float, values: np.ndarray, level: float) -> Interval | None:
    values = values[~np.isnan(values)]
    if math.isnan(estimate) or values.size == 0:
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(float(estimate), float(low), float(high), level, int(values.size))


def bootstrap_binary(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    threshold: float = 0.5,
    costs: DecisionCosts | None = None,
    replicates: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    workers: int | None = None,
) -> BootstrapIntervals:
    """Poisson-bootstrap percentile intervals on ROC AUC, F1 at the threshold and cost."""
    y, s = validate_binary(y_true, scores)
    g = _groups(y, s, threshold)
    estimate = _statistics(g, g.counts, costs)
    seeds = np.random.SeedSequence(seed).spawn(replicates)
    workers = workers or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(lambda ss: _replicate(g, ss, costs), seeds))
    table = np.array(rows, dtype=np.float64).reshape(-1, 3)
    f1 = _interval(estimate[1], table[:, 1], level)
    assert f1 is not None  # F1 is defined (0 at worst) on every replicate
    return BootstrapIntervals(
        roc_auc=_interval(estimate[0], table[:, 0], level),
        f1=f1,
        cost_per_decision=_interval(estimate[2], table[:, 2], level),
    )
