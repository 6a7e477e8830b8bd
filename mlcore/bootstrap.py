"""Bootstrap confidence intervals with a fixed seed, so a report is reproducible."""

import contextlib
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    level: float
    replicates: int

    def to_dict(self) -> dict:
        return asdict(self)


def bootstrap_interval(
    statistic: Callable[[np.ndarray], float],
    n_rows: int,
    *,
    replicates: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    on_replicate: Callable[[int], None] | None = None,
) -> Interval:
    """Percentile interval of `statistic(indices)` over resampled row indices.

    Replicates where the statistic is undefined (ValueError, e.g. one class drawn) are
    skipped rather than biasing the interval.
    """
    rng = np.random.default_rng(seed)
    values = []
    for i in range(replicates):
        indices = rng.integers(0, n_rows, size=n_rows)
        with contextlib.suppress(ValueError):
            values.append(statistic(indices))
        if on_replicate is not None:
            on_replicate(i + 1)
    if not values:
        raise ValueError("The statistic was undefined on every bootstrap replicate.")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(
        estimate=statistic(np.arange(n_rows)),
        low=float(low),
        high=float(high),
        level=level,
        replicates=len(values),
    )
