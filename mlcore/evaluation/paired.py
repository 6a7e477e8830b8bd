"""Paired bootstrap of (other − base) for two runs scored on the same rows.

Both runs see the same resampled rows in every replicate, so what the rows have in common
(an easy or a hard sample) cancels and the interval of the difference is narrower than the
two runs' own intervals suggest.

Weights follow the Poisson bootstrap of `mlcore.evaluation.intervals` (each row drawn
Poisson(1) times, from the same 16-bit quantile table), but per row rather than per
segment: the two runs order the rows differently, so no segmentation serves both. Each run's
rows are sorted once (ascending score, a negative before a positive at a tied score); a
replicate then gathers the row weights into that order, and the weighted Mann–Whitney count
is Σ over positives of w · (negative weight at or below its score) − ½ · w · (negative
weight tied with it): tied scores share half credit, as in scikit-learn's roc_auc_score.
F1 at each run's threshold and the expected cost need only weighted confusion counts, read
off the same sorted order (rows before the threshold's position are predicted negative).
Weights are kept as uint8 and counts as integers: exact, and the gathers and cumulative
sums move an eighth of the bytes of float64 ones.

Replicates run in blocks of B (B·n ≤ 2²⁰ cells, 1 ≤ B ≤ 64), each block with its own
generator spawned from the seed and assembled in block order, so the result depends on the
seed and the data only, not on the number of threads.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

from mlcore.costs import DecisionCosts
from mlcore.evaluation.intervals import _TABLES, _interval
from mlcore.evaluation.sweep import validate_binary
from mlcore.leaderboard import Verdict, pair_verdict

_ONE = np.uint64(1)
_POISSON_ONE = _TABLES[1 << 16 : 2 << 16]  # the Poisson(1) row of the quantile table
_BLOCK_CELLS = 1 << 20
_MAX_BLOCK = 64


@dataclass(frozen=True)
class PairedDifference:
    """Percentile interval of (other − base) for one metric, and what it says."""

    metric: str
    estimate: float
    low: float
    high: float
    level: float
    replicates: int
    higher_is_better: bool
    verdict: Verdict

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PairedComparison:
    """Paired intervals of (other − base) on ROC AUC, F1 and cost per decision."""

    roc_auc: PairedDifference | None
    f1: PairedDifference
    cost_per_decision: PairedDifference | None
    replicates: int
    seed: int

    def to_dict(self) -> dict:
        return {
            "roc_auc": None if self.roc_auc is None else self.roc_auc.to_dict(),
            "f1": self.f1.to_dict(),
            "cost_per_decision": (
                None if self.cost_per_decision is None else self.cost_per_decision.to_dict()
            ),
            "replicates": self.replicates,
            "seed": self.seed,
        }


@dataclass(frozen=True, eq=False)
class _Ranked:
    """One run's rows in ascending (score, label) order, with what its statistics need."""

    order: np.ndarray  # intp row indices
    pos: np.ndarray  # uint8 1/0 in sorted order
    neg: np.ndarray  # uint8 0/1 in sorted order
    # Score groups holding both labels (negatives first): sorted positions of the first row,
    # the first positive and the last row of each.
    tie_start: np.ndarray
    tie_first_pos: np.ndarray
    tie_end: np.ndarray
    split: int  # rows sorted before it score below the threshold (predicted negative)


def _rank(y: np.ndarray, s: np.ndarray, threshold: float) -> _Ranked:
    """Sort once: the key (score bits << 1) | label orders as (score, label) for scores ≥ 0."""
    keys = (s + 0.0).view(np.uint64) << _ONE  # + 0.0 turns -0.0 into 0.0
    keys |= y.astype(np.uint64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    labels = (sorted_keys & _ONE).astype(bool)
    values = sorted_keys >> _ONE
    n = values.size
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], n] - 1
    # Labels sort 0 before 1 within a score: a group is mixed iff it starts with a negative
    # and ends with a positive.
    mixed = ~labels[starts] & labels[ends]
    neg_cum = np.cumsum(~labels)
    negs_in_group = neg_cum[ends] - neg_cum[starts] + 1  # its first row is a negative
    split = int(np.searchsorted(s[order], threshold, side="left"))
    pos = labels.astype(np.uint8)
    return _Ranked(
        order,
        pos,
        1 - pos,
        starts[mixed],
        (starts + negs_in_group)[mixed],
        ends[mixed],
        split,
    )


def _run_statistics(
    r: _Ranked, w: np.ndarray, total: np.ndarray, costs: DecisionCosts | None
) -> np.ndarray:
    """(B, 3) ROC AUC, F1 and cost for (B, n) uint8 row weights in row order.

    Weights are small integers, so the counts are exact integers (uint8 gathers and int32
    cumulative sums are several times faster than float64 ones); the AUC is one division.
    """
    ws = w.take(r.order, axis=1)
    wp, wn = ws * r.pos, ws * r.neg
    # Below 2³¹ / 255 rows no cumulative weight can overflow int32.
    cum_type = np.int32 if w.shape[1] < (1 << 31) // 255 else np.int64
    below = np.cumsum(wn, axis=1, dtype=cum_type)  # negative weight at or before each position
    n_pos = wp.sum(axis=1, dtype=np.int64)
    n_neg = total - n_pos
    twice_wins = 2 * np.einsum("ij,ij->i", wp, below, dtype=np.int64)
    if r.tie_end.size:
        # Tied pairs got full credit above; take half back: Σ over mixed groups of (positive
        # weight) × (negative weight), from cumulative sums at the groups' edges only.
        pos_cum = np.cumsum(wp, axis=1, dtype=cum_type)
        pos_in = pos_cum.take(r.tie_end, axis=1) - pos_cum.take(r.tie_first_pos - 1, axis=1)
        neg_in = below.take(r.tie_end, axis=1) - below.take(r.tie_start, axis=1)
        neg_in += wn.take(r.tie_start, axis=1)
        twice_wins -= np.einsum("ij,ij->i", pos_in, neg_in, dtype=np.int64)
    auc = np.full(w.shape[0], np.nan)
    both = (n_pos > 0) & (n_neg > 0)
    auc[both] = twice_wins[both] / (2.0 * n_pos[both] * n_neg[both])

    tn = below[:, r.split - 1].astype(np.int64) if r.split else np.zeros_like(total)
    fn = wp[:, : r.split].sum(axis=1, dtype=np.int64)
    tp, fp = n_pos - fn, n_neg - tn
    den = (2 * tp + fp + fn).astype(np.float64)
    f1 = np.divide(2.0 * tp, den, out=np.zeros_like(den), where=den > 0)
    cost = np.full(w.shape[0], np.nan)
    if costs is not None:
        loss = fn * costs.cost_fn + fp * costs.cost_fp - tp * costs.value_tp - tn * costs.value_tn
        np.divide(loss, total, out=cost, where=total > 0)
    return np.stack([auc, f1, cost], axis=1)


def _statistics(
    w: np.ndarray, ranked: tuple[_Ranked, _Ranked], costs: DecisionCosts | None
) -> np.ndarray:
    """(B, 3) differences (other − base) of ROC AUC, F1 and cost for (B, n) row weights."""
    total = w.sum(axis=1, dtype=np.int64)
    base, other = (_run_statistics(r, w, total, costs) for r in ranked)
    return other - base


def _block_weights(n: int, seed: np.random.SeedSequence, size: int) -> np.ndarray:
    """(size, n) uint8 Poisson(1) row weights from the shared quantile table."""
    rng = np.random.default_rng(seed)
    cells = size * n
    bits = rng.bit_generator.random_raw(-(-cells // 4)).view(np.uint16)[:cells]
    return _POISSON_ONE.take(bits).reshape(size, n)


def paired_bootstrap(
    y: ArrayLike,
    base_scores: ArrayLike,
    other_scores: ArrayLike,
    *,
    threshold_base: float = 0.5,
    threshold_other: float = 0.5,
    costs: DecisionCosts | None = None,
    replicates: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    workers: int | None = None,
) -> PairedComparison:
    """Paired Poisson-bootstrap intervals of (other − base): ROC AUC, F1 at each threshold, cost."""
    y_arr, base = validate_binary(y, base_scores)
    _, other = validate_binary(y_arr, other_scores)
    n = y_arr.size
    ranked = (_rank(y_arr, base, threshold_base), _rank(y_arr, other, threshold_other))
    estimate = _statistics(np.ones((1, n), dtype=np.uint8), ranked, costs)[0]

    block = max(1, min(_MAX_BLOCK, _BLOCK_CELLS // n))
    sizes = [min(block, replicates - start) for start in range(0, replicates, block)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))

    def run(job: tuple[np.random.SeedSequence, int]) -> np.ndarray:
        return _statistics(_block_weights(n, *job), ranked, costs)

    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        parts = list(pool.map(run, zip(seeds, sizes, strict=True)))
    table = np.concatenate(parts) if parts else np.empty((0, 3))

    def difference(k: int, metric: str, higher_is_better: bool) -> PairedDifference | None:
        interval = _interval(float(estimate[k]), table[:, k], level)
        if interval is None:
            return None
        direction = "higher" if higher_is_better else "lower"
        return PairedDifference(
            metric=metric,
            estimate=interval.estimate,
            low=interval.low,
            high=interval.high,
            level=level,
            replicates=interval.replicates,
            higher_is_better=higher_is_better,
            verdict=pair_verdict(interval.low, interval.high, direction),
        )

    f1 = difference(1, "f1", True)
    assert f1 is not None  # F1 is defined (0 at worst) on every replicate
    return PairedComparison(
        roc_auc=difference(0, "roc_auc", True),
        f1=f1,
        cost_per_decision=difference(2, "cost_per_decision", False),
        replicates=replicates,
        seed=seed,
    )
