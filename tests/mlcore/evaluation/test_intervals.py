"""bootstrap_binary against a slow row-by-row reference bootstrap with the same draws.

The reference rebuilds the segments with a Python loop over the sorted rows, draws the
weights with the same generator calls, puts each segment's weight on the segment's first
row (valid: no row of a segment ties a row of the other label outside a tied pair, and a
segment never straddles the threshold) and computes AUC over all pairs, F1 and cost from
row masks.
"""

import math

import numpy as np
import pytest
from scipy.stats import poisson

from mlcore.costs import DecisionCosts
from mlcore.evaluation import bootstrap_binary
from mlcore.evaluation import intervals as iv

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=4.0, value_tp=0.5, value_tn=0.25)


def case(seed: int, n: int, decimals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    return y, (s if decimals is None else s.round(decimals))


def reference_segments(y: np.ndarray, s: np.ndarray, threshold: float) -> list:
    """[(label, rows)] alternating 0, 1, 0, 1, … (empty segments inserted), slow loop."""
    order = sorted(range(len(s)), key=lambda i: (s[i], y[i]))
    tied = {
        (s[i], 0) for i in order if y[i] == 1 and any(s[j] == s[i] and y[j] == 0 for j in order)
    }
    tied |= {(v, 1) for v, _ in tied}
    segments: list = []
    prev = None
    for i in order:
        key = (s[i], int(y[i]))
        cut = (
            prev is None
            or key[1] != prev[1]
            or (key != prev and (key in tied or prev in tied))
            or (prev[0] < threshold) != (key[0] < threshold)
        )
        if cut:
            segments.append((key[1], []))
        segments[-1][1].append(i)
        prev = key
    alternating: list = []
    for label, rows in segments:
        if len(alternating) % 2 != label:
            alternating.append((1 - label, []))
        alternating.append((label, rows))
    if len(alternating) % 2:
        alternating.append((1, []))
    return alternating


def reference_stats(y: np.ndarray, s: np.ndarray, w: np.ndarray, threshold: float) -> tuple:
    neg, pos = w[y == 0], w[y == 1]
    sn, sp = s[y == 0], s[y == 1]
    compare = (sn[None, :] < sp[:, None]) + 0.5 * (sn[None, :] == sp[:, None])
    wins = float(pos @ compare @ neg)
    auc = wins / (pos.sum() * neg.sum()) if pos.sum() and neg.sum() else math.nan
    pred = s >= threshold
    tp, fp = w[pred & (y == 1)].sum(), w[pred & (y == 0)].sum()
    fn, tn = w[~pred & (y == 1)].sum(), w[~pred & (y == 0)].sum()
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    loss = fn * COSTS.cost_fn + fp * COSTS.cost_fp - tp * COSTS.value_tp - tn * COSTS.value_tn
    return auc, f1, loss / w.sum()


def reference_bootstrap(y, s, threshold, replicates, seed, level=0.95) -> dict:  # noqa: ANN001
    segments = reference_segments(y, s, threshold)
    m = len(segments) // 2
    layout = segments[0::2] + segments[1::2]  # negatives then positives, as 2m columns
    counts = np.array([len(rows) for _, rows in layout])
    block = max(1, min(64, (1 << 20) // (2 * m)))
    sizes = [min(block, replicates - i) for i in range(0, replicates, block)]
    rows_out = []
    for ss, size in zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True):
        rng = np.random.default_rng(ss)
        bits = rng.bit_generator.random_raw(-(-size * 2 * m // 4)).view(np.uint16)
        bits = bits[: size * 2 * m].reshape(size, 2 * m)
        table_rows = iv._TABLE_ROWS
        table = iv._TABLES.reshape(table_rows, 65536)
        draws = table[np.minimum(counts, table_rows - 1), bits].astype(np.float64)
        large = np.flatnonzero(counts >= table_rows)
        if large.size:
            draws[:, large] = rng.poisson(counts[large], size=(size, large.size))
        for r in range(size):
            w = np.zeros(len(s))
            for (_, rows), weight in zip(layout, draws[r], strict=True):
                if rows:
                    w[rows[0]] = weight
            rows_out.append(reference_stats(y, s, w, threshold))
    values = np.array(rows_out)
    tail = (1 - level) / 2 * 100
    return {
        name: np.percentile(col[~np.isnan(col)], [tail, 100 - tail])
        for name, col in zip(("roc_auc", "f1", "cost_per_decision"), values.T, strict=True)
    }


@pytest.mark.parametrize(
    ("n", "decimals", "threshold"),
    [
        (150, None, 0.5),
        (150, 1, 0.5),
        (120, 2, 0.41),
        (80, None, 0.0),
        (80, 1, 1.0),
        (80, None, "positive"),
        (80, 1, "positive"),
        (300, 0, 0.5),  # groups of > 64 rows: exact rng.poisson draws
    ],
)
def test_bootstrap_matches_a_slow_reference(
    n: int, decimals: int | None, threshold: float | str
) -> None:
    y, s = case(n, n, decimals)
    if threshold == "positive":  # the threshold's segment is positive, after a negative one
        order = np.lexsort((y, s))
        k = next(i for i in range(n // 2, n) if y[order[i]] and not y[order[i - 1]])
        threshold = float(s[order[k]])
    ours = bootstrap_binary(y, s, threshold=threshold, costs=COSTS, replicates=150, seed=5)
    ref = reference_bootstrap(y, s, threshold, 150, seed=5)
    for name, (low, high) in ref.items():
        interval = getattr(ours, name)
        assert interval.low == pytest.approx(low, abs=1e-12), name
        assert interval.high == pytest.approx(high, abs=1e-12), name


def test_continuous_bootstrap_is_reproducible_and_thread_independent() -> None:
    y, s = case(9, 50_000)
    a = bootstrap_binary(y, s, costs=COSTS, replicates=100, seed=3)
    b = bootstrap_binary(y, s, costs=COSTS, replicates=100, seed=3, workers=1)
    c = bootstrap_binary(y, s, costs=COSTS, replicates=100, seed=3, workers=2)
    assert a == b == c
    assert a != bootstrap_binary(y, s, costs=COSTS, replicates=100, seed=4)
    assert a.roc_auc.replicates == 100


def test_poisson_tables_are_the_quantiles() -> None:
    p = (np.arange(65536) + 0.5) / 65536
    tables = iv._TABLES.reshape(-1, 65536)
    assert not tables[0].any()
    for c in (1, 2, 3, 7, 15, 16, 31, iv._TABLE_ROWS - 1):
        agree = np.mean(tables[c] == poisson.ppf(p, c))
        assert agree > 0.9999, c  # only float rounding at exact CDF boundaries may differ
        assert abs(tables[c].mean() - c) < 1e-3 * c + 2e-4


def test_one_class_gives_no_auc() -> None:
    y = np.ones(50, dtype=int)
    s = np.linspace(0, 1, 50)
    result = bootstrap_binary(y, s, costs=COSTS, replicates=20)
    assert result.roc_auc is None
    assert result.f1.estimate == pytest.approx(2 * 25 / (2 * 25 + 25))
