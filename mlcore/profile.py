"""Data-quality profile of a table: per-column summaries and plain-language warnings.

Each numeric column is sorted once; its quantiles, distinct count, histogram and IQR
outliers all come from that sort. Text columns are factorised once; their counts and
codes serve the summary, the duplicate-row check and the leakage check.
"""

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from mlcore.metrics import average_ranks, roc_auc

QUANTILES = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
HISTOGRAM_BINS = 20
TOP_CATEGORIES = 20
MAX_VALUE_CHARS = 200
MISSING_WARNING, MISSING_CRITICAL = 0.2, 0.5
NEAR_CONSTANT_SHARE = 0.99
ID_DISTINCT_SHARE, ID_MIN_ROWS = 0.95, 20
OUTLIER_SHARE = 0.01
# Class imbalance, relative to an even split: for two classes a minority below 10 % warns
# and below 1 % is critical; with k classes the thresholds scale by 2/k.
IMBALANCE_WARNING, IMBALANCE_CRITICAL = 0.2, 0.02
MAX_CLASSES = 50
MAX_NUMERIC_CLASSES = 20  # integer codes beyond this are counts or amounts, not classes
# Target leakage is checked on a fixed-seed sample of this many labelled rows (all of them
# when there are fewer), which keeps it a fraction of a second on a million rows.
LEAKAGE_SAMPLE_ROWS = 100_000
LEAKAGE_SEED = 0
LEAKAGE_AUC = 0.98
LEAKAGE_PURITY = 0.99
LEAKAGE_CORRELATION = 0.98
LEAKAGE_MIN_ROWS = 20
LEAKAGE_ROWS_PER_GROUP = 20
LEAKAGE_MAX_BINS = 200
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def jsonable(value: object) -> object:
    """Plain JSON values: numpy scalars unwrapped, NaN and infinities as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    kind: str  # numeric | categorical | boolean | datetime | text
    count: int  # values present, as describe() counts them
    missing: int
    missing_share: float
    distinct: int  # distinct values present, as nunique() counts them
    min: float | str | None
    max: float | str | None
    mean: float | None
    std: float | None  # sample standard deviation (ddof=1), as describe()
    quantiles: dict[str, float] | None
    histogram: dict | None
    top_categories: list[dict] | None
    outliers: int | None  # values beyond 1.5 IQR of the quartiles

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class DataWarning:
    code: str
    severity: str  # info | warning | critical
    column: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TableProfile:
    rows: int
    columns: int
    duplicate_rows: int
    memory_bytes: int
    column_profiles: list[ColumnProfile]
    warnings: list[DataWarning]
    target: str | None
    target_balance: list[dict] | None

    def to_dict(self) -> dict:
        return jsonable(
            {
                "rows": self.rows,
                "columns": self.columns,
                "duplicate_rows": self.duplicate_rows,
                "memory_bytes": self.memory_bytes,
                "column_profiles": [c.to_dict() for c in self.column_profiles],
                "warnings": [w.to_dict() for w in self.warnings],
                "target": self.target,
                "target_balance": self.target_balance,
            }
        )


@dataclass
class _Column:
    """What later phases need from one column besides its profile."""

    profile: ColumnProfile
    row_key: np.ndarray  # one uint64 per row, equal for equal values (missing included)
    sample: np.ndarray  # leakage sample: floats with NaN, or codes with -1 for missing
    coded: bool  # sample holds category codes rather than numbers
    integral: bool = False
    top_share: float = 0.0  # share of present values held by the most common one
    top_value: object = None
    iqr: float = 0.0
    classes: list[tuple[object, int]] | None = None  # (value, count), most common first, ≤ 50


def profile_table(
    df: pd.DataFrame,
    *,
    target: str | None = None,
    on_progress: Callable[[float, str], None] | None = None,
) -> TableProfile:
    """Summaries of every column and the data-quality warnings a reviewer should see."""

    def progress(percent: float, message: str) -> None:
        if on_progress is not None:
            on_progress(percent, message)

    rows = len(df)
    names = [str(c) for c in df.columns]
    if target is not None and target not in names:
        raise ValueError(f"The target column “{target}” is not in the table.")
    sample_rows = _leakage_sample(df, names.index(target) if target is not None else None)
    columns: list[_Column] = []
    row_hash = np.zeros(rows, dtype=np.uint64)
    for i, name in enumerate(names):
        column = _profile_column(name, df.iloc[:, i], sample_rows)
        columns.append(column)
        row_hash = _combine(row_hash, column.row_key)
        column.row_key = np.empty(0, dtype=np.uint64)  # free it: the combined hash holds it
        progress(80 * (i + 1) / max(len(names), 1), f"Profiled column {i + 1} of {len(names)}")
    # Equal rows have equal hashes; with 64 bits a false match among a million rows is about
    # a one-in-thirty-million event, which a data-quality count can afford.
    row_hash.sort()
    duplicates = int(np.count_nonzero(row_hash[1:] == row_hash[:-1])) if names else 0
    del row_hash
    progress(85, "Counted duplicate rows")
    warnings = [
        w for c in columns for w in _column_warnings(c, rows, is_target=c.profile.name == target)
    ]
    if duplicates:
        warnings.append(
            DataWarning(
                "duplicate_rows",
                "warning",
                None,
                f"{duplicates:,} rows ({duplicates / rows:.1%}) are exact copies of an earlier "
                "row. Copies inflate evaluation when one lands in training and its twin in "
                "test data; remove them, or split by the entity they describe.",
            )
        )
    balance = None
    if target is not None:
        by_name = {c.profile.name: c for c in columns}
        goal = by_name[target]
        balance, target_warnings = _target_checks(goal)
        warnings += target_warnings
        progress(90, "Checking features for target leakage")
        features = [c for c in columns if c.profile.name != target]
        warnings += _leakage_warnings(goal, features, classification=balance is not None)
    warnings.sort(key=lambda w: SEVERITY_ORDER[w.severity])
    progress(100, "Profile complete")
    return TableProfile(
        rows=rows,
        columns=len(names),
        duplicate_rows=duplicates,
        memory_bytes=int(df.memory_usage(deep=True).sum()),
        column_profiles=[c.profile for c in columns],
        warnings=warnings,
        target=target,
        target_balance=balance,
    )


def row_overlap(train: pd.DataFrame, other: pd.DataFrame) -> int:
    """Rows of `other` whose values in the shared columns equal some row of `train`."""
    other_names = set(other.columns)
    shared = [c for c in train.columns if c in other_names]
    if not shared or len(train) == 0 or len(other) == 0:
        return 0
    left, right = {}, {}
    for i, name in enumerate(shared):
        left[i], right[i] = _comparable(train[name], other[name])
    train_hash = pd.util.hash_pandas_object(pd.DataFrame(left), index=False)
    other_hash = pd.util.hash_pandas_object(pd.DataFrame(right), index=False)
    # Series.isin uses a hash table, so this is linear in the number of rows.
    return int(other_hash.isin(train_hash.to_numpy()).sum())


def overlap_warning(count: int, rows: int, *, role: str) -> DataWarning | None:
    """A critical warning when evaluation rows also appear in the training data."""
    if count <= 0:
        return None
    share = count / rows if rows else 1.0
    return DataWarning(
        "train_test_overlap",
        "critical",
        None,
        f"{count:,} of the {rows:,} rows ({share:.1%}) of this {role.lower()} data also appear "
        "in the training data. Scores on rows a model was trained on are optimistic; remove "
        "the shared rows from one side or split the data again.",
    )


# --- one column -------------------------------------------------------------------------


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


def sorted_quantile(ordered: np.ndarray, p: float) -> float:
    """Linear-interpolation quantile of sorted data, numpy's (and pandas') default method."""
    position = p * (ordered.size - 1)
    below = math.floor(position)
    above = min(below + 1, ordered.size - 1)
    a, b, t = float(ordered[below]), float(ordered[above]), position - below
    # numpy's _lerp: interpolate from the nearer end so the result stays within [a, b].
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


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


def _label(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _classes(labels: list, counts: np.ndarray) -> list[tuple[object, int]]:
    """(value, count) pairs, most common first (ties keep their order)."""
    order = np.argsort(-np.asarray(counts), kind="stable")
    return [(labels[i], int(counts[i])) for i in order]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _combine(row_hash: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Fold one column's keys into the running row hash, in place.

    Multiplying by an odd constant and xor-shifting are both one-to-one, so distinct keys
    stay distinct and their bits spread before they meet the other columns.
    """
    mixed = keys * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= mixed >> np.uint64(29)
    row_hash *= np.uint64(0x100000001B3)  # position matters: (a, b) must differ from (b, a)
    row_hash ^= mixed
    return row_hash


def _comparable(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The same value in both frames hashes the same, whatever dtype each frame chose."""
    both = (left, right)
    if all(pd.api.types.is_numeric_dtype(s.dtype) for s in both):
        return tuple(pd.Series(s.to_numpy(dtype=np.float64, na_value=np.nan)) for s in both)
    if all(pd.api.types.is_datetime64_any_dtype(s.dtype) for s in both):
        return tuple(pd.Series(s.dt.as_unit("us").array.asi8) for s in both)
    return tuple(s.astype("str").reset_index(drop=True) for s in both)


# --- warnings ---------------------------------------------------------------------------


def _column_warnings(column: _Column, rows: int, *, is_target: bool) -> list[DataWarning]:
    p = column.profile
    out = []
    name = p.name
    if p.missing_share >= MISSING_WARNING:
        out.append(
            DataWarning(
                "high_missing",
                "critical" if p.missing_share >= MISSING_CRITICAL else "warning",
                name,
                f"“{name}” is missing in {p.missing_share:.1%} of rows ({p.missing:,} of "
                f"{rows:,}). Models must drop those rows or fill the gaps in, and values are "
                "rarely missing at random; find out why before filling them in, or drop the "
                "column.",
            )
        )
    if p.distinct == 1:
        out.append(
            DataWarning(
                "constant",
                "warning",
                name,
                f"“{name}” has the same value ({column.top_value}) in every row where it is "
                "present. A column that never changes cannot help a model; drop it.",
            )
        )
    elif p.distinct > 1 and column.top_share >= NEAR_CONSTANT_SHARE:
        out.append(
            DataWarning(
                "near_constant",
                "info",
                name,
                f"“{name}” is {column.top_value} in {column.top_share:.1%} of the rows where it "
                "is present. It carries almost no information and a rare value can make a "
                "model unstable; drop it unless the rare values matter.",
            )
        )
    if not is_target and _id_like(column):
        out.append(
            DataWarning(
                "id_like",
                "warning",
                name,
                f"“{name}” has a different value in almost every row ({p.distinct:,} distinct "
                f"of {p.count:,}), like an identifier. A model can memorise identifiers instead "
                "of learning patterns, which looks good in training and fails on new rows; "
                "leave it out of the features.",
            )
        )
    if p.kind == "numeric" and p.count and column.iqr > 0 and p.outliers >= OUTLIER_SHARE * p.count:
        out.append(
            DataWarning(
                "outliers",
                "info",
                name,
                f"{p.outliers:,} values of “{name}” ({p.outliers / p.count:.1%}) lie more than "
                "1.5 × the interquartile range beyond the quartiles. They may be errors or rare "
                "real cases that dominate squared-error losses; check a few, then fix, cap or "
                "keep them.",
            )
        )
    return out


def _id_like(column: _Column) -> bool:
    """Distinct in (nearly) every row and an integer or a short string: an identifier."""
    p = column.profile
    if p.count < ID_MIN_ROWS or p.distinct < ID_DISTINCT_SHARE * p.count:
        return False
    return (p.kind == "numeric" and column.integral) or p.kind == "categorical"


def _is_classification(goal: _Column) -> bool:
    """A target with few classes: booleans, short category lists, small integer codes."""
    p = goal.profile
    if goal.classes is None or p.distinct < 1 or p.kind == "datetime":
        return False
    if p.kind == "numeric":
        return p.distinct <= 2 or (goal.integral and p.distinct <= MAX_NUMERIC_CLASSES)
    return True


def _target_checks(goal: _Column) -> tuple[list[dict] | None, list[DataWarning]]:
    """Class balance of a classification target and the warnings about the target."""
    p = goal.profile
    name = p.name
    warnings = []
    if p.missing:
        warnings.append(
            DataWarning(
                "target_missing",
                "warning",
                name,
                f"The target “{name}” is missing in {p.missing:,} rows. Rows without an outcome "
                "cannot be used to train or evaluate a model; fill them in or drop them.",
            )
        )
    if p.distinct == 1:
        warnings.append(
            DataWarning(
                "target_single_class",
                "critical",
                name,
                f"The target “{name}” has one value only ({goal.classes[0][0]}). There is "
                "nothing to learn or evaluate; include rows with every outcome.",
            )
        )
    if not _is_classification(goal):
        return None, warnings
    balance = [{"value": v, "count": c, "share": c / p.count} for v, c in goal.classes]
    if len(balance) >= 2:
        rarest = balance[-1]
        # The rarest share against an even split 1/k: for two classes < 10 % and < 1 %.
        ratio = rarest["share"] * len(balance)
        if ratio < IMBALANCE_WARNING:
            warnings.append(
                DataWarning(
                    "class_imbalance",
                    "critical" if ratio < IMBALANCE_CRITICAL else "warning",
                    name,
                    f"The target “{name}” is imbalanced: its rarest class ({rarest['value']}) "
                    f"is {rarest['share']:.1%} of labelled rows ({rarest['count']:,}). Accuracy "
                    "looks good even for a model that never predicts it; judge models by "
                    "precision and recall or PR AUC, and consider class weights.",
                )
            )
    return balance, warnings


# --- leakage ----------------------------------------------------------------------------


def _leakage_sample(df: pd.DataFrame, target_index: int | None) -> np.ndarray:
    """Row positions for the leakage check: labelled rows, a fixed-seed sample if many."""
    if target_index is None:
        return np.empty(0, dtype=np.int64)
    rows = np.flatnonzero(df.iloc[:, target_index].notna().to_numpy())
    if rows.size > LEAKAGE_SAMPLE_ROWS:
        rng = np.random.default_rng(LEAKAGE_SEED)
        rows = np.sort(rng.choice(rows, LEAKAGE_SAMPLE_ROWS, replace=False))
    return rows


def _leakage_warnings(
    goal: _Column, features: list[_Column], *, classification: bool
) -> list[DataWarning]:
    """Features that predict the target almost perfectly on their own (on the sample).

    Classification: ROC AUC ≥ 0.98 (either direction) for a numeric feature and a binary
    target; for any feature, class purity ≥ 99 % — predicting each row's class as the
    majority class of its feature value (numbers: of its equal-frequency bin, at least 20
    rows a bin) — when that also halves the errors of always guessing the majority class.
    Regression: |Spearman| ≥ 0.98 for numeric features, η² ≥ 0.98 for categorical ones.
    Category checks need ≥ 20 rows per value; ID-like and constant columns are skipped.
    """
    target = goal.profile.name
    n = goal.sample.size
    if n < LEAKAGE_MIN_ROWS or goal.profile.distinct < 2:
        return []
    if classification:
        _, y = np.unique(goal.sample, return_inverse=True)
        k = int(y.max()) + 1
        baseline = np.bincount(y).max() / n
    elif goal.profile.kind == "numeric":
        y = goal.sample
    else:
        return []  # free text, many-valued categories or times: no target to predict
    out = []
    for feature in features:
        if feature.profile.distinct < 2 or _id_like(feature):
            continue
        x = feature.sample
        if classification:
            evidence = None
            if not feature.coded and k == 2:
                evidence = _auc_evidence(x, y)
            if evidence is None:
                groups = x if feature.coded else _quantile_bins(x)
                evidence = _purity_evidence(groups, y, k, baseline)
        elif feature.coded:
            evidence = _eta_evidence(x, y)
        else:
            evidence = _spearman_evidence(x, y)
        if evidence:
            name = feature.profile.name
            out.append(
                DataWarning(
                    "target_leakage",
                    "critical",
                    name,
                    f"“{name}” predicts the target “{target}” almost perfectly on its own "
                    f"({evidence}). A single feature this good is usually computed from the "
                    "outcome or recorded after it; check how it is produced and drop it if it "
                    "is not known at prediction time.",
                )
            )
    return out


def _groups(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Compact group numbers 0..g-1 (missing, -1, is a group of its own)."""
    uniques, inverse = np.unique(codes, return_inverse=True)
    return inverse, uniques.size


def _quantile_bins(x: np.ndarray) -> np.ndarray:
    """Equal-frequency bins of a numeric sample (-1 for missing), ≥ 20 rows a bin."""
    present = np.sort(x[~np.isnan(x)])
    bins = min(LEAKAGE_MAX_BINS, present.size // LEAKAGE_ROWS_PER_GROUP)
    if bins < 2:
        return np.full(x.size, -1)
    cuts = np.unique([sorted_quantile(present, j / bins) for j in range(1, bins)])
    codes = np.searchsorted(cuts, x, "right")
    codes[np.isnan(x)] = -1
    return codes


def _auc_evidence(x: np.ndarray, y: np.ndarray) -> str | None:
    present = ~np.isnan(x)
    labels = y[present]
    if labels.size < LEAKAGE_MIN_ROWS or labels.min() == labels.max():
        return None
    auc = roc_auc(labels, x[present])
    strength = max(auc, 1 - auc)
    return f"ROC AUC {strength:.3f}" if strength >= LEAKAGE_AUC else None


def _purity_evidence(codes: np.ndarray, y: np.ndarray, k: int, baseline: float) -> str | None:
    groups, count = _groups(codes)
    if count > y.size / LEAKAGE_ROWS_PER_GROUP:
        return None  # too few rows per value to tell a pattern from chance
    table = np.bincount(groups * k + y, minlength=count * k).reshape(count, k)
    purity = table.max(axis=1).sum() / y.size
    if purity >= LEAKAGE_PURITY and 1 - purity <= 0.5 * (1 - baseline):
        return f"its values alone give the right class for {purity:.1%} of rows"
    return None


def _eta_evidence(codes: np.ndarray, y: np.ndarray) -> str | None:
    groups, count = _groups(codes)
    if count > y.size / LEAKAGE_ROWS_PER_GROUP:
        return None
    spread = float(((y - y.mean()) ** 2).sum())
    if spread == 0:
        return None
    sizes = np.bincount(groups, minlength=count)
    means = np.bincount(groups, weights=y, minlength=count) / sizes
    eta2 = float((sizes * (means - y.mean()) ** 2).sum()) / spread
    return (
        f"its values explain {eta2:.1%} of the target's variance"
        if eta2 >= LEAKAGE_CORRELATION
        else None
    )


def _spearman_evidence(x: np.ndarray, y: np.ndarray) -> str | None:
    present = ~np.isnan(x)
    if present.sum() < LEAKAGE_MIN_ROWS:
        return None
    rx, ry = average_ranks(x[present]), average_ranks(y[present])
    if rx.std() == 0 or ry.std() == 0:
        return None
    rho = float(np.corrcoef(rx, ry)[0, 1])
    return f"Spearman correlation {rho:.3f}" if abs(rho) >= LEAKAGE_CORRELATION else None
