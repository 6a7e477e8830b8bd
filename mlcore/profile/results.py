"""The profile's result types and the thresholds that decide its warnings."""

import math
from dataclasses import asdict, dataclass

import numpy as np

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


def sorted_quantile(ordered: np.ndarray, p: float) -> float:
    """Linear-interpolation quantile of sorted data, numpy's (and pandas') default method."""
    position = p * (ordered.size - 1)
    below = math.floor(position)
    above = min(below + 1, ordered.size - 1)
    a, b, t = float(ordered[below]), float(ordered[above]), position - below
    # numpy's _lerp: interpolate from the nearer end so the result stays within [a, b].
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


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
