"""Drift between a reference table and a current one: PSI and KS for numbers, PSI and
chi-square for categories.

Each numeric column is sorted once per side; PSI's quantile bins and the KS statistic both
read those sorted arrays with binary searches, so a million rows a side take milliseconds.
"""

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy import special, stats

from mlcore.drift_rules import DriftRule, classify_drift
from mlcore.profile import jsonable, sorted_quantile

# Shares below this are raised to it, so an empty bin adds a large but finite term.
PSI_EPSILON = 1e-4
# scipy's ks_2samp computes an exact p-value up to this many values a side ("auto").
KS_EXACT_MAX_N = 10_000
# Beyond this scipy's Smirnov function switches to a closed-form approximation.
SMIRNOV_MAX_N = 1_000_000
SMIRNOV_GRID = 4_000
STATUS_ORDER = {"drift": 0, "warn": 1, "ok": 2}
PARALLEL_MIN_VALUES = 200_000
T = TypeVar("T")
R = TypeVar("R")
OTHER = "(other)"


@dataclass(frozen=True)
class DriftThresholds:
    psi_warn: float = 0.1
    psi_drift: float = 0.25
    ks_pvalue: float = 0.01
    chi2_pvalue: float = 0.01


@dataclass(frozen=True)
class ColumnDrift:
    column: str
    kind: str  # numeric | categorical
    psi: float | None
    ks_statistic: float | None
    ks_pvalue: float | None
    chi2_statistic: float | None
    chi2_pvalue: float | None
    status: str  # ok | warn | drift
    reason: str

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class DriftReport:
    columns: list[ColumnDrift]  # most severe first, then by PSI, largest first
    drifted_share: float
    thresholds: DriftThresholds

    def to_dict(self) -> dict:
        return jsonable(
            {
                "columns": [c.to_dict() for c in self.columns],
                "drifted_share": self.drifted_share,
                "thresholds": asdict(self.thresholds),
            }
        )


def psi(reference: np.ndarray, current: np.ndarray, *, bins: int = 10) -> float:
    """Population stability index of a numeric column over the reference's quantile bins.

    PSI = Σᵢ (cᵢ − rᵢ) · ln(cᵢ / rᵢ), where rᵢ and cᵢ are the reference and current shares in
    bin i, each raised to at least ε = 1e-4. Bin edges are the reference's j/bins quantiles
    (linear interpolation), repeated edges merged; a bin holds values from its lower edge up
    to, not including, its upper edge. Missing values are ignored.
    """
    return _psi_sorted(*_sorted_pair(reference, current), bins)


def psi_categorical(reference: Sequence, current: Sequence) -> float:
    """Population stability index over the categories seen on either side (missing ignored)."""
    ref_counts, cur_counts = _category_counts(reference, current)
    return _psi_counts(ref_counts, cur_counts)


def ks(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    """Two-sample Kolmogorov–Smirnov statistic and p-value, as scipy.stats.ks_2samp (auto)."""
    return _ks_sorted(*_sorted_pair(reference, current))


def chi_square(reference: Sequence, current: Sequence) -> tuple[float, float]:
    """Chi-square test of the 2×k table of category counts, as scipy's chi2_contingency
    with correction=False."""
    ref_counts, cur_counts = _category_counts(reference, current)
    table = np.vstack([ref_counts, cur_counts]).astype(np.float64)
    if table.shape[1] < 2:
        return 0.0, 1.0  # one category: no degrees of freedom, no evidence of a difference
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(stats.chi2.sf(statistic, table.shape[1] - 1))


def drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    columns: list[str] | None = None,
    thresholds: DriftThresholds = DriftThresholds(),
) -> DriftReport:
    """Per-column drift of `current` against `reference`, the columns shared by default.

    Date/time columns are left out: they move forward by design, so they always "drift".
    A column drifts when PSI ≥ psi_drift; it warns when PSI ≥ psi_warn or the test's
    p-value is below its threshold (with large samples a tiny shift is significant).
    """
    names = columns if columns is not None else [c for c in reference.columns if c in current]
    absent = [c for c in names if c not in reference or c not in current]
    if absent:
        raise ValueError(f"Columns missing from one side: {', '.join(map(str, absent))}.")
    results = []
    for name in names:
        ref, cur = reference[name], current[name]
        if any(pd.api.types.is_datetime64_any_dtype(s.dtype) for s in (ref, cur)):
            continue
        if _is_numeric(ref) and _is_numeric(cur):
            results.append(_numeric_drift(str(name), ref, cur, thresholds))
        else:
            results.append(_categorical_drift(str(name), ref, cur, thresholds))
    results.sort(key=lambda c: (STATUS_ORDER[c.status], -(c.psi if c.psi is not None else -1)))
    drifted = sum(c.status == "drift" for c in results)
    return DriftReport(
        columns=results,
        drifted_share=drifted / len(results) if results else 0.0,
        thresholds=thresholds,
    )


def overlaid_distribution(reference: Sequence, current: Sequence, *, bins: int = 30) -> dict:
    """Both sides on shared bins (numbers) or categories, as shares of their rows, for a chart.

    Numbers: `bins` equal-width bins between the pooled 0.5 % and 99.5 % quantiles, values
    beyond them counted in the end bins so one outlier does not squash the chart.
    Categories: the `bins` most common pooled categories, the rest together as “(other)”.
    """
    ref, cur = _series(reference), _series(current)
    if _is_numeric(ref) and _is_numeric(cur):
        left, right = _numbers(ref), _numbers(cur)
        left, right = left[np.isfinite(left)], right[np.isfinite(right)]
        pooled = np.concatenate([left, right])
        if not pooled.size:
            return {"kind": "numeric", "edges": [], "reference": [], "current": []}
        low, high = np.quantile(pooled, [0.005, 0.995])
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, bins + 1)
        return {
            "kind": "numeric",
            "edges": edges.tolist(),
            "reference": _binned_shares(left, edges),
            "current": _binned_shares(right, edges),
        }
    ref_counts = ref.dropna().astype("str").value_counts()
    cur_counts = cur.dropna().astype("str").value_counts()
    pooled = ref_counts.add(cur_counts, fill_value=0).sort_values(ascending=False, kind="stable")
    shown = [str(c) for c in pooled.index[:bins]]
    rest = len(pooled) > bins

    def shares(counts: pd.Series) -> list[float]:
        total = counts.sum()
        values = [float(counts.get(c, 0)) for c in shown]
        if rest:
            values.append(float(total - sum(values)))
        return [v / total if total else 0.0 for v in values]

    return {
        "kind": "categorical",
        "categories": shown + ([OTHER] if rest else []),
        "reference": shares(ref_counts),
        "current": shares(cur_counts),
    }


# --- helpers ----------------------------------------------------------------------------


def _series(values: Sequence) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values)


def _is_numeric(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _numbers(values: Sequence) -> np.ndarray:
    """A float array without missing values."""
    if isinstance(values, pd.Series):
        array = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        array = np.asarray(values, dtype=np.float64)
    return array[~np.isnan(array)]


def _sorted_pair(reference: Sequence, current: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Both sides as sorted float arrays without missing values."""

    def prepare(values: Sequence) -> np.ndarray:
        numbers = _numbers(values)
        numbers.sort()  # in place: boolean indexing in _numbers already made a copy
        return numbers

    left, right = _two_threads(prepare, [reference, current])
    return left, right


def _two_threads(work: Callable[[T], R], items: list[T]) -> list[R]:
    """work(item) for each item, on two threads when the arrays are large.

    Sorting and binary search release the GIL, so on two cores a million-row column takes
    about half the time; for small inputs starting threads costs more than it saves.
    """
    if len(items) < 2 or sum(len(item) for item in items) < PARALLEL_MIN_VALUES:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(work, items))


def _halves(values: np.ndarray) -> list[np.ndarray]:
    middle = values.size // 2
    return [values[:middle], values[middle:]] if middle else [values]


def _psi_sorted(ref: np.ndarray, cur: np.ndarray, bins: int) -> float:
    if not ref.size or not cur.size:
        raise ValueError("PSI needs at least one value on each side.")
    edges = np.unique([sorted_quantile(ref, j / bins) for j in range(1, bins)])
    edges = edges[~np.isnan(edges)]  # infinite values can make an interpolated edge NaN

    def counts(ordered: np.ndarray) -> np.ndarray:
        return np.diff(np.r_[0, np.searchsorted(ordered, edges, "left"), ordered.size])

    return _psi_counts(counts(ref), counts(cur))


def _psi_counts(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    if not ref_counts.sum() or not cur_counts.sum():
        raise ValueError("PSI needs at least one value on each side.")
    r = np.maximum(ref_counts / ref_counts.sum(), PSI_EPSILON)
    c = np.maximum(cur_counts / cur_counts.sum(), PSI_EPSILON)
    return float(((c - r) * np.log(c / r)).sum())


def _ks_sorted(ref: np.ndarray, cur: np.ndarray) -> tuple[float, float]:
    n1, n2 = ref.size, cur.size
    if not n1 or not n2:
        raise ValueError("KS needs at least one value on each side.")
    if max(n1, n2) <= KS_EXACT_MAX_N:
        # Small samples: scipy's exact p-value (its default), at negligible cost.
        result = stats.ks_2samp(ref, cur)
        return float(result.statistic), float(result.pvalue)
    # D = max |F1(x) − F2(x)| over the data points x, F counting values ≤ x (as scipy does).
    # One binary search of the sorted current values into the sorted reference tells where
    # each current value lands; both empirical CDFs at every data point follow from it.
    below = _two_threads(lambda part: np.searchsorted(ref, part, "right"), _halves(cur))
    below = below[0] if len(below) == 1 else np.concatenate(below)  # #ref ≤ cur[j]
    # ref[below − 1] is the largest reference value ≤ cur[j] (ref[0] > cur[j] when below = 0).
    cross_tied = bool(np.any(ref[np.maximum(below, 1) - 1] == cur))
    if not cross_tied and not np.any(cur[1:] == cur[:-1]):
        # All current values distinct and absent from the reference: F2 − F1 peaks at a
        # current point, F1 − F2 just before one (at the last reference value below it).
        f1 = below / n1
        f2 = np.arange(n2 + 1) / n2
        return _ks_result(max((f2[1:] - f1).max(), (f1 - f2[:-1]).max()), n1, n2)
    landed = below > 0
    cur_last = np.flatnonzero(np.r_[cur[1:] != cur[:-1], True])
    gaps_at_cur = below[cur_last] / n1 - (cur_last + 1) / n2
    ref_last = np.flatnonzero(np.r_[ref[1:] != ref[:-1], True])
    cur_before = np.cumsum(np.bincount(below, minlength=n1 + 1))[ref_last]  # #cur < ref[i]
    # Where a reference value also occurs in the current data, #cur < x is not F2(x); that
    # x was already evaluated exactly on the current side, so it is skipped here.
    hits = below[landed] - 1
    shared = np.zeros(n1, dtype=bool)
    shared[hits[ref[hits] == cur[landed]]] = True
    keep = ~shared[ref_last]
    gaps_at_ref = (ref_last[keep] + 1) / n1 - cur_before[keep] / n2
    statistic = max(
        gaps_at_cur.max(),
        -gaps_at_cur.min(),
        gaps_at_ref.max(initial=0.0),
        -gaps_at_ref.min(initial=0.0),
    )
    return _ks_result(statistic, n1, n2)


def _ks_result(statistic: float, n1: int, n2: int) -> tuple[float, float]:
    statistic = float(max(statistic, 0.0))
    return statistic, _ks_pvalue(statistic, n1, n2)


def _ks_pvalue(statistic: float, n1: int, n2: int) -> float:
    """scipy's asymptotic two-sided p-value: kstwo.sf(D, round(mn / (m + n))).

    For 140 < n ≤ 10⁶ and 2.2 ≤ n·D² < 370 (the drifted columns) scipy evaluates
    2 · smirnov(n, D), the Birnbaum–Tingey sum, term by term in double-double precision,
    which takes seconds at n = 500,000. That sum is computed here in log space on a grid
    instead (see _smirnov_sf); it agrees with scipy to about 1e-12, relatively.
    """
    m, n = max(n1, n2), min(n1, n2)
    size = int(np.round(m * n / (m + n)))
    x = statistic
    t = size * x
    if 140 < size <= SMIRNOV_MAX_N and 1 < t < size - 1 and x < 0.5 and 2.2 <= t * x < 370:
        return float(np.clip(2 * _smirnov_sf(size, x), 0, 1))
    return float(np.clip(stats.kstwo.sf(x, size), 0, 1))


def _smirnov_sf(n: int, x: float) -> float:
    """P(D⁺ₙ ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (1 − x − v/n)^(n−v) (x + v/n)^(v−1).

    Each term is taken in logs with Stirling's series for C(n, v), written so no two large
    numbers cancel. The terms form one smooth bump thousands of v wide, far from the
    singular points v = 0 and v = n, so summing every h-th term times h (trapezoid rule,
    h = n // 4000) matches the full sum to rounding error while reading ≤ 4,000 terms.
    """
    nx = n * x
    last = n - math.floor(nx) - 1
    step = max(1, n // SMIRNOV_GRID)
    v = np.arange(1, last + 1, step, dtype=np.float64)
    w = n - v
    logs = (
        v * np.log1p(nx / v)
        + w * np.log1p(-nx / w)
        - np.log((v + nx) / n)
        + 0.5 * np.log(n / (2 * np.pi * v * w))
        + _stirling_rest(np.array([float(n)]))[0]
        - _stirling_rest(v)
        - _stirling_rest(w)
    )
    first = n * math.log1p(-x) - math.log(x)  # v = 0: (1 − x)^n / x
    top = max(float(logs.max()), first)
    total = step * float(np.exp(logs - top).sum()) + math.exp(first - top)
    return x * math.exp(top) * total


def _stirling_rest(k: np.ndarray) -> np.ndarray:
    """log k! − (k log k − k + ½ log 2πk): the series for k ≥ 20, exact below."""
    r = 1.0 / k
    r2 = r * r
    rest = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)))
    small = k < 20
    if small.any():
        ks = k[small]
        rest[small] = special.gammaln(ks + 1) - (
            ks * np.log(ks) - ks + 0.5 * np.log(2 * np.pi * ks)
        )
    return rest


def _category_counts(reference: Sequence, current: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Counts of each category seen on either side, aligned (missing values ignored)."""
    ref = _series(reference).dropna().value_counts()
    cur = _series(current).dropna().value_counts()
    union = ref.index.union(cur.index, sort=False)
    return (
        ref.reindex(union, fill_value=0).to_numpy(dtype=np.int64),
        cur.reindex(union, fill_value=0).to_numpy(dtype=np.int64),
    )


def _binned_shares(values: np.ndarray, edges: np.ndarray) -> list[float]:
    if not values.size:
        return [0.0] * (edges.size - 1)
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    return (counts / values.size).tolist()


def _classify(
    psi_value: float | None, pvalue: float | None, alpha: float, th: DriftThresholds
) -> tuple[str, str]:
    """One rule for stored and re-thresholded statuses: mlcore.drift_rules."""
    return classify_drift(psi_value, pvalue, DriftRule(th.psi_warn, th.psi_drift, alpha))


def _no_values(name: str, kind: str, reference_empty: bool) -> ColumnDrift:
    side = "reference" if reference_empty else "current"
    return ColumnDrift(
        column=name,
        kind=kind,
        psi=None,
        ks_statistic=None,
        ks_pvalue=None,
        chi2_statistic=None,
        chi2_pvalue=None,
        status="warn",
        reason=f"No values in the {side} data to compare.",
    )


def _numeric_drift(name: str, ref: pd.Series, cur: pd.Series, th: DriftThresholds) -> ColumnDrift:
    left, right = _sorted_pair(ref, cur)
    if not left.size or not right.size:
        return _no_values(name, "numeric", reference_empty=not left.size)
    value = _psi_sorted(left, right, 10)
    statistic, pvalue = _ks_sorted(left, right)
    status, reason = _classify(value, pvalue, th.ks_pvalue, th)
    with np.errstate(invalid="ignore", over="ignore"):  # ±inf make the mean NaN
        means = float(left.mean()), float(right.mean())
    reason += (
        f" (mean {means[0]:.4g} → {means[1]:.4g}, "
        f"median {sorted_quantile(left, 0.5):.4g} → {sorted_quantile(right, 0.5):.4g})."
    )
    return ColumnDrift(name, "numeric", value, statistic, pvalue, None, None, status, reason)


def _categorical_drift(
    name: str, ref: pd.Series, cur: pd.Series, th: DriftThresholds
) -> ColumnDrift:
    if _is_numeric(ref) != _is_numeric(cur):
        ref, cur = ref.astype("str").where(ref.notna()), cur.astype("str").where(cur.notna())
    ref_counts, cur_counts = _category_counts(ref, cur)
    if not ref_counts.sum() or not cur_counts.sum():
        return _no_values(name, "categorical", reference_empty=not ref_counts.sum())
    value = _psi_counts(ref_counts, cur_counts)
    statistic, pvalue = chi_square(ref, cur)
    status, reason = _classify(value, pvalue, th.chi2_pvalue, th)
    new = int((ref_counts == 0).sum())
    gone = int((cur_counts == 0).sum())
    notes = []
    if new:
        notes.append(f"{new} categor{'y' if new == 1 else 'ies'} new in the current data")
    if gone:
        notes.append(f"{gone} no longer seen")
    reason += f" ({', '.join(notes)})." if notes else "."
    return ColumnDrift(name, "categorical", value, None, None, statistic, pvalue, status, reason)
