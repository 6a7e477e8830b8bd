"""Per-column statistics by kind: numeric, boolean, datetime, categorical."""

import math

import numpy as np
import pandas as pd

from mlcore.profile.results import (
    HISTOGRAM_BINS,
    ID_DISTINCT_SHARE,
    MAX_CLASSES,
    MAX_NUMERIC_CLASSES,
    QUANTILES,
    TOP_CATEGORIES,
    ColumnProfile,
    _classes,
    _Column,
    _label,
    _share,
    sorted_quantile,
)


def _profile_column(name: str, series: pd.Series, sample_rows: np.ndarray) -> _Column:
    types = pd.api.types
    if types.is_bool_dtype(series.dtype):
        return _boolean(name, series, sample_rows)
    if types.is_datetime64_any_dtype(series.dtype):
        return _datetime(name, series, sample_rows)
    if types.is_timedelta64_dtype(series.dtype):
        series = series.dt.total_seconds()
    if types.is_numeric_dtype(series.dtype) and not types.is_complex_dtype(series.dtype):
        return _numeric(name, series, sample_rows)
    if not (
        isinstance(series.dtype, pd.CategoricalDtype)
        or types.is_string_dtype(series.dtype)
        or types.is_object_dtype(series.dtype)
    ):
        series = series.astype("str")  # periods, intervals, complex numbers: as text
    return _categorical(name, series, sample_rows)


def _numeric(name: str, series: pd.Series, sample_rows: np.ndarray) -> _Column:
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(values)
    present = values[~missing]  # a fresh copy, so it can be sorted in place
    present.sort()
    n = present.size
    starts = np.flatnonzero(np.r_[True, present[1:] != present[:-1]]) if n else present
    runs = np.diff(np.r_[starts, n]) if n else present
    stats: dict = {"min": None, "max": None, "mean": None, "std": None}
    quantiles = histogram = None
    outliers = 0
    iqr = 0.0
    if n:
        quantiles = {key: sorted_quantile(present, p) for key, p in QUANTILES.items()}
        with np.errstate(invalid="ignore", over="ignore"):  # ±inf give NaN, stored as None
            stats = {
                "min": float(present[0]),
                "max": float(present[-1]),
                "mean": float(present.mean()),
                "std": float(present.std(ddof=1)) if n > 1 else math.nan,
            }
        q1, q3 = quantiles["p25"], quantiles["p75"]
        iqr = q3 - q1
        if math.isfinite(iqr):  # infinite quartiles leave the rule nothing to measure
            low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
            outliers = int(
                np.searchsorted(present, low, "left") + n - np.searchsorted(present, high, "right")
            )
        else:
            iqr = 0.0
        histogram = _histogram(present)
    # Row key: the float's bits, with -0.0 folded into 0.0 and every NaN the same NaN.
    keys = values + 0.0
    keys[missing] = np.nan
    # Whole numbers matter only for ID-like columns and class codes: skip the check otherwise.
    maybe = n and (starts.size >= ID_DISTINCT_SHARE * n or starts.size <= MAX_NUMERIC_CLASSES)
    integral = bool(
        maybe and np.isfinite(present[[0, -1]]).all() and np.all(present == np.round(present))
    )
    profile = ColumnProfile(
        name=name,
        kind="numeric",
        count=n,
        missing=int(missing.sum()),
        missing_share=_share(int(missing.sum()), values.size),
        distinct=int(starts.size),
        quantiles=quantiles,
        histogram=histogram,
        top_categories=None,
        outliers=outliers,
        **stats,
    )
    return _Column(
        profile,
        keys.view(np.uint64),
        values[sample_rows],
        coded=False,
        integral=integral,
        top_share=_share(int(runs.max()) if n else 0, n),
        top_value=_label(present[starts[np.argmax(runs)]]) if n else None,
        iqr=iqr,
        classes=_classes([_label(present[i]) for i in starts], runs)
        if starts.size <= MAX_CLASSES
        else None,
    )


def _histogram(ordered: np.ndarray) -> dict | None:
    """np.histogram(values, bins=20) from sorted values: bin counts by binary search."""
    finite = ordered[np.isfinite(ordered)] if not np.isfinite(ordered[[0, -1]]).all() else ordered
    if not finite.size:
        return None
    low, high = float(finite[0]), float(finite[-1])
    if low == high:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, HISTOGRAM_BINS + 1)
    cuts = np.searchsorted(finite, edges, "left")
    cuts[-1] = finite.size  # the last bin is closed on the right
    return {"edges": edges.tolist(), "counts": np.diff(cuts).tolist()}


def _boolean(name: str, series: pd.Series, sample_rows: np.ndarray) -> _Column:
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(values)
    trues = int(np.nansum(values))
    falses = int((~missing).sum()) - trues
    count = trues + falses
    top = sorted(
        ({"value": v, "count": c} for v, c in ((True, trues), (False, falses)) if c),
        key=lambda item: -item["count"],
    )
    profile = ColumnProfile(
        name=name,
        kind="boolean",
        count=count,
        missing=int(missing.sum()),
        missing_share=_share(int(missing.sum()), values.size),
        distinct=len(top),
        min=None,
        max=None,
        mean=None,
        std=None,
        quantiles=None,
        histogram=None,
        top_categories=top,
        outliers=None,
    )
    codes = np.where(missing, -1, values).astype(np.int64)
    return _Column(
        profile,
        codes.view(np.uint64),
        codes[sample_rows],
        coded=True,
        top_share=_share(top[0]["count"] if top else 0, count),
        top_value=top[0]["value"] if top else None,
        classes=[(item["value"], item["count"]) for item in top],
    )


def _datetime(name: str, series: pd.Series, sample_rows: np.ndarray) -> _Column:
    index = pd.DatetimeIndex(series)  # numpy- or Arrow-backed, naive or with a time zone
    ticks = index.asi8  # int64 counts of the column's unit (UTC if zoned), NaT as int64 min
    missing = index.isna()
    present = np.sort(ticks[~missing])
    distinct = int(np.count_nonzero(present[1:] != present[:-1]) + 1) if present.size else 0

    def stamp(tick: int) -> str:
        return pd.Timestamp(tick, unit=index.unit, tz=index.tz).isoformat()

    profile = ColumnProfile(
        name=name,
        kind="datetime",
        count=int(present.size),
        missing=int(missing.sum()),
        missing_share=_share(int(missing.sum()), ticks.size),
        distinct=distinct,
        min=stamp(int(present[0])) if present.size else None,
        max=stamp(int(present[-1])) if present.size else None,
        mean=None,
        std=None,
        quantiles=None,
        histogram=None,
        top_categories=None,
        outliers=None,
    )
    sample = np.where(missing[sample_rows], np.nan, ticks[sample_rows].astype(np.float64))
    return _Column(profile, ticks.view(np.uint64), sample, coded=False)


def _categorical(name: str, series: pd.Series, sample_rows: np.ndarray) -> _Column:
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.int64)
        uniques = pd.Index(series.cat.categories)
    else:
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # unhashable objects (lists, dicts): compare their text
            codes, uniques = pd.factorize(series.astype("str"), use_na_sentinel=True)
        codes = codes.astype(np.int64)
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(uniques))
    used = np.flatnonzero(counts)  # a categorical dtype may declare unused categories
    count = int(present.size)
    missing = int(codes.size - count)
    order = used[np.argsort(-counts[used], kind="stable")]
    labels = [_label(uniques[i]) for i in order[:TOP_CATEGORIES]]
    top = [{"value": v, "count": int(counts[i])} for v, i in zip(labels, order, strict=False)]
    kind = "categorical"
    if count and used.size >= 0.5 * count:
        # Mostly unique strings are free text when they are long and hold spaces.
        texts = pd.Series(uniques[used].astype(str))
        weights = counts[used]
        mean_length = float(np.average(texts.str.len().to_numpy(), weights=weights))
        spaced = float(np.average(texts.str.contains(r"\s").to_numpy(), weights=weights))
        if mean_length >= 20 and spaced >= 0.5:
            kind = "text"
    profile = ColumnProfile(
        name=name,
        kind=kind,
        count=count,
        missing=missing,
        missing_share=_share(missing, codes.size),
        distinct=int(used.size),
        min=None,
        max=None,
        mean=None,
        std=None,
        quantiles=None,
        histogram=None,
        top_categories=top,
        outliers=None,
    )
    return _Column(
        profile,
        codes.view(np.uint64),
        codes[sample_rows],
        coded=True,
        top_share=_share(top[0]["count"] if top else 0, count),
        top_value=top[0]["value"] if top else None,
        classes=_classes([_label(uniques[i]) for i in used], counts[used])
        if used.size <= MAX_CLASSES
        else None,
    )
