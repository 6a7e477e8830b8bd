"""Binary-classification evaluation from one sort: metrics, sweep, costs, abstention, intervals.

Everything here is pure (numpy only) and returns frozen dataclasses with `to_dict()`.
"""

from mlcore.evaluation.abstention import AbstentionCurve, abstention_curve, cutoff_for_target
from mlcore.evaluation.binary import BinaryEvaluation, evaluate_binary
from mlcore.evaluation.intervals import BootstrapIntervals, bootstrap_binary
from mlcore.evaluation.sweep import ConfusionCounts, Sweep, threshold_sweep

__all__ = [
    "AbstentionCurve",
    "BinaryEvaluation",
    "BootstrapIntervals",
    "ConfusionCounts",
    "Sweep",
    "abstention_curve",
    "bootstrap_binary",
    "cutoff_for_target",
    "evaluate_binary",
    "threshold_sweep",
]
