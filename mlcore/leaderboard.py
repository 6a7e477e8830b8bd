"""Leaderboard maths: gain over the best simple baseline, ranking, and pairwise verdicts.

Gain is the share of the headroom between the best simple baseline and a perfect score
that a run closes: (value − best_simple) / (perfect − best_simple). The same formula holds
for lower-is-better metrics (perfect 0): a log loss of 0.3 against a baseline of 0.6 closes
(0.3 − 0.6) / (0 − 0.6) = 50 %. It is negative when the run is worse than the baseline,
1 for a perfect run, and undefined (None) when the baseline is already perfect.
"""

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from mlcore.rules import Direction

Verdict = Literal["better", "worse", "not distinguishable"]

# None: no natural perfect score (cost can be any negative number), so no gain.
PERFECT: dict[str, float | None] = {
    "roc_auc": 1.0,
    "pr_auc": 1.0,
    "accuracy": 1.0,
    "balanced_accuracy": 1.0,
    "f1": 1.0,
    "precision": 1.0,
    "recall": 1.0,
    "log_loss": 0.0,
    "brier": 0.0,
    "ece": 0.0,
    "mae": 0.0,
    "rmse": 0.0,
    "r2": 1.0,
    "mape": 0.0,
    "macro_f1": 1.0,
    "weighted_f1": 1.0,
    "cost_per_decision": None,
}

HIGHER_IS_BETTER: dict[str, bool] = {
    "roc_auc": True,
    "pr_auc": True,
    "accuracy": True,
    "balanced_accuracy": True,
    "f1": True,
    "precision": True,
    "recall": True,
    "log_loss": False,
    "brier": False,
    "ece": False,
    "mae": False,
    "rmse": False,
    "r2": True,
    "mape": False,
    "macro_f1": True,
    "weighted_f1": True,
    "cost_per_decision": False,
}


def direction_of(metric: str) -> Direction:
    """Higher or lower is better for a known metric key (KeyError for an unknown one)."""
    return Direction.HIGHER if HIGHER_IS_BETTER[metric] else Direction.LOWER


def gain(
    value: float | None,
    best_simple: float | None,
    perfect: float | None,
    direction: Direction | str,
) -> float | None:
    """Share of the headroom from the best simple baseline to perfect that the run closes."""
    if value is None or best_simple is None or perfect is None:
        return None
    if not all(map(math.isfinite, (value, best_simple, perfect))):
        return None
    headroom = perfect - best_simple
    # A baseline at (or, through noise in the input, beyond) perfect leaves no headroom.
    if Direction(direction) is Direction.HIGHER and headroom <= 0:
        return None
    if Direction(direction) is Direction.LOWER and headroom >= 0:
        return None
    return (value - best_simple) / headroom


def gain_for(metric: str, value: float | None, best_simple: float | None) -> float | None:
    """`gain` with the perfect score and direction looked up by metric key."""
    if metric not in PERFECT:
        return None
    return gain(value, best_simple, PERFECT[metric], direction_of(metric))


def _entry_value(entry: Any, metric: str) -> float | None:
    """entry[metric] (a number, or something with a value) when present, else entry's value."""
    if isinstance(entry, Mapping):
        item = entry.get(metric, entry.get("value"))
    else:
        item = getattr(entry, metric, None)
        if item is None:
            item = getattr(entry, "value", None)
    if isinstance(item, Mapping):
        item = item.get("value")
    elif item is not None and not isinstance(item, numbers.Real):
        item = getattr(item, "value", None)
    if item is None or not math.isfinite(item):
        return None
    return float(item)


def rank_entries(
    entries: Sequence[Any], metric: str, direction: Direction | str | None = None
) -> list[Any]:
    """Entries best first by their value of `metric`; missing values last, ties keep order."""
    higher = Direction(direction or direction_of(metric)) is Direction.HIGHER
    keyed = [(_entry_value(e, metric), i, e) for i, e in enumerate(entries)]
    present = [k for k in keyed if k[0] is not None]
    missing = [k for k in keyed if k[0] is None]
    present.sort(key=lambda k: (-k[0] if higher else k[0], k[1]))
    return [e for _, _, e in present + missing]


def pair_verdict(low: float | None, high: float | None, direction: Direction | str) -> Verdict:
    """From an interval of (other − base): better / worse when it excludes zero."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return "not distinguishable"
    if Direction(direction) is Direction.LOWER:
        low, high = -high, -low
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "not distinguishable"
