"""Bootstrap intervals on ROC AUC, F1 and expected cost without re-sorting per replicate.

Weights follow the Poisson bootstrap: each row is drawn Poisson(1) times, independently,
instead of a multinomial with a fixed total n. For large n the two agree (the multinomial is
the Poisson conditioned on its total), and the Poisson form has a property the speed rests
on: the total weight of c rows is one Poisson(c) draw, exactly the sum of their draws.

Sort once (ascending score, a negative before a positive at a tied score) and cut the rows
into *segments*: maximal runs of consecutive rows with one label, cut also where the
threshold falls and around a negative/positive pair of tied groups (identical score). The
three statistics need only segment totals:

- ROC AUC: the Mann–Whitney count is Σ over positive segments of (positive weight) ×
  (negative weight before it), minus ½ (tied positive weight) × (tied negative weight);
- F1 and cost: TN / FN are the negative / positive weight before the threshold's segment.

Segments are laid out alternating negative, positive, negative, … (a zero-count segment is
inserted where two of one label meet, after a tie or threshold cut), as two arrays V and U
with V[k] just before U[k]. A replicate is then one draw per segment, one cumsum of V and
one dot product with U: no gather, no masks. On 1M continuous scores (no ties) this is
about 310k segments instead of 1M rows; on scores with 4 decimals about 20k.

Draws. A segment of c < _TABLE_ROWS (64) rows looks a uniform 16-bit integer up in a
Poisson(c) quantile table (probabilities resolved to 2⁻¹⁶, so tails rarer than 2⁻¹⁷ are
cut: an estimated variance shortfall < 0.1%): one `take` from a 4 MB uint8 table, many times
faster than `Generator.poisson` (measured on this 2-core machine: 1M Poisson(1) draws take
50 ms with `rng.poisson`, ~5 ms as raw bits + index + lookup). Larger segments (few: runs at
the clipped ends, heavy ties) get an exact `rng.poisson(c)`; a 16-row table left ~7.7k of
them per replicate on 1M continuous scores (0.8 ms), 64 rows leaves ~350 (0.08 ms). The
uniform bits come straight from the PCG64 bit generator (`random_raw` viewed as uint16,
four draws per 64-bit output, ~30% faster than `rng.integers(..., dtype=uint16)`).
A multinomial bootstrap via `np.bincount(rng.integers(0, n, n))` was measured at 23 ms per
1M rows and needs a weight per row, so it was not used.

Replicates are done in blocks: B replicates as a (B, 2m) array, so Python overhead is paid
once per block (it dominates with a few thousand segments). B depends only on the number
of segments (B·2m ≤ _BLOCK_CELLS = 2²⁰, 1 ≤ B ≤ 64), never on the thread count. Each block
has its own generator spawned from the seed, blocks run on a small thread pool (numpy
releases the GIL), and results are assembled in block order: identical with 1 or more
threads.

Cost (1M rows, 2 cores, 1,000 replicates, benchmarks/eval_bench.py): continuous scores
(~310k segments, B = 3) 2.2 s, scores with 4 decimals (~20k segments, B = 53) 0.64 s; per
replicate on one core ~2 ms of draws + ~1 ms of cumsum/dot on 1M continuous scores. The
previous per-group version (a weight per distinct (score, label), rng.poisson for groups of
several rows, one replicate per task) took ~26 ms and ~12 ms per replicate: ~26 s / ~12 s.

Memory: per block in flight ~27 bytes a cell (uint16 bits, intp table index, uint8 lookup,
float64 weights, float64 cumsum of the negative half), i.e. ≤ ~28 MB while B·2m ≤ 2²⁰ and
~27·2m bytes beyond (B = 1), times the number of workers in flight; plus the sort (8 bytes
a row, freed after segmenting) and ~40 bytes a segment. Measured peak (tracemalloc, 1M
continuous scores, 2 workers): ~60 MB, about 4× the 16 MB of y and scores.
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
_TABLE_ROWS = 64  # Poisson(c) tables for c = 0 … 63 (row 0 is all zeros)
_BLOCK_CELLS = 1 << 20  # segments × replicates per block
_MAX_BLOCK = 64


def _poisson_tables() -> np.ndarray:
    """Row c: the Poisson(c) quantile of (u + ½) / 2¹⁶ for every 16-bit u (uint8)."""
    p = (np.arange(65536) + 0.5) / 65536
    tables = np.zeros((_TABLE_ROWS, 65536), dtype=np.uint8)
    for c in range(1, _TABLE_ROWS):
        pmf = [math.exp(-c)]
        for k in range(1, 400):
            pmf.append(pmf[-1] * c / k)
        tables[c] = np.minimum(np.searchsorted(np.cumsum(pmf), p), 255)
    return tables.reshape(-1)


_TABLES = _poisson_tables()


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
class _Segments:
    """Alternating segments: counts[:m] negative (V), counts[m:] positive (U), V[k] before U[k]."""

    counts: np.ndarray  # float64, 2m row counts (0 for inserted segments)
    m: int
    ties: np.ndarray  # k where U[k] and V[k] are a tied positive / negative group
    neg_below: int  # V[:neg_below] lies below the threshold
    pos_below: int  # U[:pos_below] lies below the threshold
    table_index: np.ndarray  # intp, 2m: min(c, 15) · 2¹⁶, the row of the Poisson table
    large: np.ndarray  # indices into counts with c ≥ _TABLE_ROWS (exact rng.poisson)


def _segments(y: np.ndarray, s: np.ndarray, threshold: float) -> _Segments:
    keys = sorted_keys(y, s)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    group_counts = np.diff(np.r_[starts, keys.size])
    group_keys = keys[starts]
    del keys
    is_pos = (group_keys & _ONE).astype(bool)
    values = (group_keys >> _ONE).view(np.float64)
    n_groups = values.size
    tie_pos = np.flatnonzero(is_pos[1:] & ~is_pos[:-1] & (values[1:] == values[:-1])) + 1
    split = int(np.searchsorted(values, threshold, side="left"))

    # A segment starts at a label change, at the threshold, at a tied negative group and
    # right after a tied positive group (so a tied pair are whole segments of their own).
    new = np.zeros(n_groups + 1, dtype=bool)
    new[0] = True
    new[1:n_groups] = is_pos[1:] != is_pos[:-1]
    new[tie_pos - 1] = True
    new[tie_pos + 1] = True
    new[split] = True
    seg_start = np.flatnonzero(new[:n_groups])
    seg_counts = np.add.reduceat(group_counts, seg_start)
    seg_pos = is_pos[seg_start]

    # Slot in the alternating sequence neg, pos, neg, …: parity = label, +1 when the label
    # changes, +2 (an empty segment in between) when it does not.
    step = np.where(seg_pos[1:] != seg_pos[:-1], 1, 2)
    slot = np.r_[int(seg_pos[0]), int(seg_pos[0]) + np.cumsum(step)]
    m = int(slot[-1]) // 2 + 1
    counts = np.zeros(2 * m)
    k = slot // 2
    counts[np.where(seg_pos, m + k, k)] = seg_counts

    # Positive tied segments (each a whole group) sit in slot 2k + 1 just after their
    # negative in slot 2k; their k.
    seg_of_group = np.cumsum(new[:n_groups]) - 1
    ties = k[seg_of_group[tie_pos]]
    if split < n_groups:
        first = int(slot[seg_of_group[split]])
        neg_below, pos_below = (first + 1) // 2, first // 2
    else:
        neg_below = pos_below = m
    return _Segments(
        counts=counts,
        m=m,
        ties=ties,
        neg_below=neg_below,
        pos_below=pos_below,
        table_index=np.minimum(counts, _TABLE_ROWS - 1).astype(np.intp) << 16,
        large=np.flatnonzero(counts >= _TABLE_ROWS),
    )


def _statistics(g: _Segments, w: np.ndarray, costs: DecisionCosts | None) -> np.ndarray:
    """(B, 3) AUC, F1, cost per decision for (B, 2m) segment weights w; NaN where undefined."""
    v, u = w[:, : g.m], w[:, g.m :]
    neg_cum = np.cumsum(v, axis=1)
    neg = neg_cum[:, -1]
    pos = u.sum(axis=1)
    wins = np.einsum("ij,ij->i", u, neg_cum)
    if g.ties.size:
        wins -= 0.5 * np.einsum("ij,ij->i", u[:, g.ties], v[:, g.ties])
    out = np.full((w.shape[0], 3), np.nan)
    both = (pos > 0) & (neg > 0)
    out[both, 0] = wins[both] / (pos[both] * neg[both])
    tn = neg_cum[:, g.neg_below - 1] if g.neg_below else np.zeros(w.shape[0])
    fn = u[:, : g.pos_below].sum(axis=1)
    fp, tp = neg - tn, pos - fn
    den = 2 * tp + fp + fn
    out[:, 1] = np.divide(2 * tp, den, out=np.zeros_like(den), where=den > 0)
    total = pos + neg
    if costs is not None:
        loss = fn * costs.cost_fn + fp * costs.cost_fp - tp * costs.value_tp - tn * costs.value_tn
        nonzero = total > 0
        out[nonzero, 2] = loss[nonzero] / total[nonzero]
    return out


def _block_weights(g: _Segments, seed: np.random.SeedSequence, size: int) -> np.ndarray:
    """(size, 2m) float64 Poisson(count) weights: table lookups, exact draws for large counts."""
    rng = np.random.default_rng(seed)
    cells = size * g.counts.size
    bits = rng.bit_generator.random_raw(-(-cells // 4)).view(np.uint16)[:cells]
    index = bits.reshape(size, -1) + g.table_index  # uint16 + intp -> intp
    w = _TABLES.take(index).astype(np.float64)
    if g.large.size:
        w[:, g.large] = rng.poisson(g.counts[g.large], size=(size, g.large.size))
    return w


def _block_size(g: _Segments) -> int:
    return max(1, min(_MAX_BLOCK, _BLOCK_CELLS // g.counts.size))


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
    """Poisson-bootstrap percentile intervals on ROC AUC, F1 at the threshold and cost.

    Replicates run in blocks of B (fixed by the data size, see the module docstring), each
    block with its own generator spawned from `seed`, so the result depends on `seed` and
    the data only, not on `workers` (threads, default min(4, cpu count)).
    """
    y, s = validate_binary(y_true, scores)
    g = _segments(y, s, threshold)
    estimate = _statistics(g, g.counts[None, :], costs)[0]
    block = _block_size(g)
    sizes = [min(block, replicates - start) for start in range(0, replicates, block)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    workers = workers or min(4, os.cpu_count() or 1)

    def run(job: tuple[np.random.SeedSequence, int]) -> np.ndarray:
        return _statistics(g, _block_weights(g, *job), costs)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(run, zip(seeds, sizes, strict=True)))
    table = np.concatenate(parts) if parts else np.empty((0, 3))
    f1 = _interval(estimate[1], table[:, 1], level)
    assert f1 is not None  # F1 is defined (0 at worst) on every replicate
    return BootstrapIntervals(
        roc_auc=_interval(estimate[0], table[:, 0], level),
        f1=f1,
        cost_per_decision=_interval(estimate[2], table[:, 2], level),
    )
