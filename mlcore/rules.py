"""Rules shared by run gates and monitors: one metric checked against a line, with a sentence.

A rule names a metric, its direction (higher or lower is better) and any of:

- a **threshold**: pass iff value ≥ threshold (higher is better) / value ≤ threshold (lower);
- a **warning band** of width b ≥ 0 next to the threshold: a passing value in
  [threshold, threshold + b) (higher) / (threshold − b, threshold] (lower) is *warn*, not
  ok; exactly threshold ± b is ok. A band needs a threshold.
- a **comparison with a baseline run**, with a minimum absolute change Δ > 0 and/or a
  minimum relative change r in [0, 1], the latter taken over |baseline| (Δ_rel = r·|b|) so a
  negative baseline (R² = −0.4) moves the line the right way:
  - superiority: pass iff value ≥ b + margin (higher) / value ≤ b − margin (lower);
  - non-inferiority: the margin is how much worse is tolerated: pass iff value ≥ b − margin
    (higher) / value ≤ b + margin (lower); it needs a margin (without one it would be the
    same rule as superiority without margin).
  With both Δ and r given, both must hold: superiority takes margin = max(Δ, r·|b|),
  non-inferiority tolerates only margin = min(Δ, r·|b|). Superiority without any margin
  means "at least as good as the baseline": value ≥ b (higher) / ≤ b (lower), a tie passes.

Ties pass everywhere: a value equal to its line, up to float noise (relative 1e-12), meets
it. A failed threshold or baseline comparison is a *breach*; a missing or NaN value is
*no_data*, and so is a missing baseline value when the rule compares with a baseline.

Combining rules (`worst_state`): breach > no_data > warn > ok. A rule that could not be
checked ranks above a warning because a gate must not pass on a value it never saw; the
reasons of every rule are kept, so a warning is never hidden by a no_data.

Break-even (`break_even_accuracy`, `break_even_recall`): the metric level at which the
model's expected cost per decision equals the fallback's, solved exactly from the cost
model of `mlcore.costs`; the assumption that makes a single metric determine the cost is
stated in the returned sentence (see each function).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from mlcore.costs import DecisionCosts

_REL_TOL = 1e-12


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Mode(StrEnum):
    SUPERIORITY = "superiority"
    NON_INFERIORITY = "non_inferiority"


class State(StrEnum):
    OK = "ok"
    WARN = "warn"
    BREACH = "breach"
    NO_DATA = "no_data"


_SEVERITY = {State.OK: 0, State.WARN: 1, State.NO_DATA: 2, State.BREACH: 3}


def worst_state(states: Iterable[State | str]) -> State:
    """The most severe state (breach > no_data > warn > ok); no_data when there is none."""
    found = [State(s) for s in states]
    if not found:
        return State.NO_DATA  # nothing checked is not a pass
    return max(found, key=_SEVERITY.__getitem__)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _meets(value: float, line: float, direction: Direction) -> bool:
    """value is at least as good as line; a tie (up to float noise) meets it."""
    if math.isclose(value, line, rel_tol=_REL_TOL, abs_tol=_REL_TOL):
        return True
    return value > line if direction is Direction.HIGHER else value < line


def _fmt(x: float, other: float | None = None) -> str:
    """x with 4 significant digits, more when needed to tell it from `other`."""
    for digits in range(4, 13):
        text = f"{x:.{digits}g}"
        if other is None or text != f"{other:.{digits}g}":
            return text
    return f"{x:.12g}"


@dataclass(frozen=True)
class Rule:
    """One metric against a threshold and/or a baseline run (see the module docstring)."""

    metric: str
    metric_label: str
    direction: Direction
    threshold: float | None = None
    warning_band: float | None = None
    baseline_label: str | None = None
    min_abs_change: float | None = None
    min_rel_change: float | None = None
    mode: Mode = Mode.SUPERIORITY

    def __post_init__(self) -> None:
        for name, enum in (("direction", Direction), ("mode", Mode)):
            try:
                object.__setattr__(self, name, enum(getattr(self, name)))
            except ValueError:
                allowed = ", ".join(m.value for m in enum)
                raise ValueError(
                    f"{name} must be one of {allowed}, got {getattr(self, name)!r}."
                ) from None
        self.validate()

    @property
    def compares_with_baseline(self) -> bool:
        return self.baseline_label is not None

    def validate(self) -> None:
        """Raise ValueError naming the first bad field."""
        if not self.metric:
            raise ValueError("metric: a metric is required.")
        for name in ("threshold", "warning_band", "min_abs_change", "min_rel_change"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}.")
        if self.warning_band is not None:
            if self.warning_band < 0:
                raise ValueError(f"warning_band must be ≥ 0, got {self.warning_band}.")
            if self.threshold is None:
                raise ValueError("warning_band needs a threshold to sit next to.")
        if self.min_abs_change is not None and self.min_abs_change <= 0:
            raise ValueError(f"min_abs_change must be > 0, got {self.min_abs_change}.")
        if self.min_rel_change is not None and not 0 <= self.min_rel_change <= 1:
            raise ValueError(f"min_rel_change must be between 0 and 1, got {self.min_rel_change}.")
        has_margin = self.min_abs_change is not None or self.min_rel_change is not None
        if has_margin and not self.compares_with_baseline:
            raise ValueError("baseline_label: a minimum change needs a baseline to compare with.")
        if self.mode is Mode.NON_INFERIORITY and not has_margin:
            raise ValueError(
                "min_abs_change: non-inferiority needs a tolerated margin "
                "(min_abs_change or min_rel_change)."
            )
        if self.threshold is None and not self.compares_with_baseline:
            raise ValueError("threshold: give a threshold or a baseline to compare with.")

    def margin(self, baseline_value: float) -> float:
        """The margin in metric units for this baseline value (0 without margins)."""
        parts = [m for m in (self.min_abs_change,) if m is not None]
        if self.min_rel_change is not None:
            parts.append(self.min_rel_change * abs(baseline_value))
        if not parts:
            return 0.0
        # Both conditions must hold: the larger gain, or the smaller tolerated loss.
        return max(parts) if self.mode is Mode.SUPERIORITY else min(parts)

    def baseline_line(self, baseline_value: float) -> float:
        """The level the value must reach to pass the baseline comparison."""
        margin = self.margin(baseline_value)
        better = 1.0 if self.direction is Direction.HIGHER else -1.0
        sign = better if self.mode is Mode.SUPERIORITY else -better
        return baseline_value + sign * margin

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "metric_label": self.metric_label,
            "direction": self.direction.value,
            "threshold": self.threshold,
            "warning_band": self.warning_band,
            "baseline_label": self.baseline_label,
            "min_abs_change": self.min_abs_change,
            "min_rel_change": self.min_rel_change,
            "mode": self.mode.value,
        }


@dataclass(frozen=True)
class CheckResult:
    """A rule's verdict on one value: state, the lines it was held to, and why it failed."""

    state: State
    value: float | None
    baseline_value: float | None
    direction: Direction
    threshold_line: float | None
    warning_line: float | None
    baseline_line: float | None
    reasons: list[str] = field(default_factory=list)

    @property
    def required(self) -> float | None:
        """The most demanding line the value had to meet (None when none could be computed)."""
        lines = [x for x in (self.threshold_line, self.baseline_line) if x is not None]
        if not lines:
            return None
        return max(lines) if self.direction is Direction.HIGHER else min(lines)

    @property
    def sentence(self) -> str:
        if self.reasons:
            return " ".join(self.reasons)
        return "Meets every condition."

    def to_dict(self) -> dict:
        return {
            "state": self.state.value,
            "value": self.value,
            "baseline_value": self.baseline_value,
            "direction": self.direction.value,
            "threshold_line": self.threshold_line,
            "warning_line": self.warning_line,
            "baseline_line": self.baseline_line,
            "required": self.required,
            "reasons": list(self.reasons),
            "sentence": self.sentence,
        }


def _threshold_reason(rule: Rule, value: float) -> str:
    side = "below" if rule.direction is Direction.HIGHER else "above"
    t = rule.threshold
    return f"{rule.metric_label} {_fmt(value, t)} is {side} the threshold {_fmt(t, value)}."


def _baseline_reason(rule: Rule, value: float, base: float, line: float) -> str:
    label = f"the baseline '{rule.baseline_label}' ({_fmt(base)})"
    head = f"{rule.metric_label} {_fmt(value, line)}"
    needs = f"needs {'≥' if rule.direction is Direction.HIGHER else '≤'} {_fmt(line, value)}"
    parts = []
    if rule.min_abs_change is not None:
        parts.append(_fmt(rule.min_abs_change))
    if rule.min_rel_change is not None:
        parts.append(f"{rule.min_rel_change:.4g} × |baseline|")
    margin = " and ".join(parts)
    if rule.mode is Mode.NON_INFERIORITY:
        return f"{head} is worse than {label} by more than the tolerated {margin} ({needs})."
    if margin:
        return f"{head} does not beat {label} by the required {margin} ({needs})."
    return f"{head} is worse than {label}."


def check_rule(rule: Rule, value: float | None, baseline_value: float | None = None) -> CheckResult:
    """ok / warn / breach / no_data for one value, with a sentence per failed part."""
    higher = rule.direction is Direction.HIGHER
    value = None if not _finite(value) else float(value)
    baseline_value = None if not _finite(baseline_value) else float(baseline_value)
    band = rule.warning_band or 0.0
    warning_line = None
    if rule.threshold is not None and rule.warning_band is not None:
        warning_line = rule.threshold + band if higher else rule.threshold - band
    base_line = None
    if rule.compares_with_baseline and baseline_value is not None:
        base_line = rule.baseline_line(baseline_value)

    def result(state: State, reasons: list[str]) -> CheckResult:
        return CheckResult(
            state=state,
            value=value,
            baseline_value=baseline_value,
            direction=rule.direction,
            threshold_line=rule.threshold,
            warning_line=warning_line,
            baseline_line=base_line,
            reasons=reasons,
        )

    missing = []
    if value is None:
        missing.append(f"No value for {rule.metric_label}.")
    if rule.compares_with_baseline and baseline_value is None:
        missing.append(f"No baseline value for '{rule.baseline_label}'.")
    if missing:
        return result(State.NO_DATA, missing)
    assert value is not None

    breaches = []
    warnings = []
    if rule.threshold is not None:
        if not _meets(value, rule.threshold, rule.direction):
            breaches.append(_threshold_reason(rule, value))
        elif (
            warning_line is not None
            and band > 0
            and not _meets(value, warning_line, rule.direction)
        ):
            warnings.append(
                f"{rule.metric_label} {_fmt(value, rule.threshold)} is within {_fmt(band)} "
                f"of the threshold {_fmt(rule.threshold, value)}."
            )
    if base_line is not None and not _meets(value, base_line, rule.direction):
        assert baseline_value is not None
        breaches.append(_baseline_reason(rule, value, baseline_value, base_line))
    if breaches:
        return result(State.BREACH, breaches + warnings)
    if warnings:
        return result(State.WARN, warnings)
    return result(State.OK, [])


@dataclass(frozen=True)
class BreakEven:
    """The metric level at which the model costs as much per decision as the fallback."""

    metric: str
    level: float | None
    explanation: str
    inputs: dict

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "level": self.level,
            "explanation": self.explanation,
            "inputs": dict(self.inputs),
        }


def _money(x: float) -> str:
    return f"{x:.4g}"


def break_even_accuracy(
    costs: DecisionCosts,
    *,
    prevalence: float,
    fallback_cost: float,
    missed_share: float | None = None,
) -> BreakEven:
    """Accuracy at which the expected cost per decision equals `fallback_cost`.

    Per decision, cost = FN·(cost_fn + value_tp) + FP·(cost_fp + value_tn) − π·value_tp −
    (1 − π)·value_tn, with FN, FP the shares of decisions that are misses and false alarms
    and π the prevalence. Writing e = FN + FP (the error rate) and m = FN / e (the share of
    mistakes that are misses), cost = e·[m·(cost_fn + value_tp) + (1 − m)·(cost_fp +
    value_tn)] − π·value_tp − (1 − π)·value_tn, linear in e, so the break-even error rate is
    e* = (fallback_cost + π·value_tp + (1 − π)·value_tn) / [m·(…) + (1 − m)·(…)] and the
    level is 1 − e*. When a miss and a false alarm weigh the same, m drops out and no
    assumption is needed; otherwise `missed_share` (the model's current m) is required and
    the level holds only while the model's mistakes keep that mix.
    """
    _check_share("prevalence", prevalence)
    fn_weight = costs.cost_fn + costs.value_tp
    fp_weight = costs.cost_fp + costs.value_tn
    symmetric = math.isclose(fn_weight, fp_weight, rel_tol=_REL_TOL, abs_tol=_REL_TOL)
    if missed_share is None and not symmetric:
        raise ValueError(
            "missed_share: misses and false alarms cost differently, so accuracy alone does "
            "not fix the cost; give the share of the model's mistakes that are misses."
        )
    m = 0.5 if missed_share is None else missed_share
    _check_share("missed_share", m)
    weight = m * fn_weight + (1 - m) * fp_weight
    offset = prevalence * costs.value_tp + (1 - prevalence) * costs.value_tn
    inputs = {
        "costs": {
            "cost_fp": costs.cost_fp,
            "cost_fn": costs.cost_fn,
            "value_tp": costs.value_tp,
            "value_tn": costs.value_tn,
        },
        "prevalence": prevalence,
        "fallback_cost": fallback_cost,
        "missed_share": missed_share,
    }
    mix = (
        ""
        if missed_share is None
        else f", assuming its mistakes keep today's mix of {m:.0%} missed cases and "
        f"{1 - m:.0%} false alarms"
    )
    if weight <= 0:
        return BreakEven(
            "accuracy",
            None,
            "Mistakes cost nothing here, so no accuracy changes the cost per decision.",
            inputs,
        )
    error = (fallback_cost + offset) / weight
    if error < 0:
        return BreakEven(
            "accuracy",
            None,
            f"Even a model that is always right costs more per decision than the fallback "
            f"({_money(fallback_cost)}): no accuracy breaks even.",
            inputs,
        )
    level = max(0.0, 1.0 - error)
    return BreakEven(
        "accuracy",
        level,
        f"At {level:.2%} accuracy the model costs as much per decision as the fallback "
        f"({_money(fallback_cost)}){mix}; above it the model is cheaper.",
        inputs,
    )


def break_even_recall(
    costs: DecisionCosts, *, prevalence: float, fallback_cost: float, false_positive_rate: float
) -> BreakEven:
    """Recall at which the expected cost per decision equals `fallback_cost`, at a fixed FPR.

    Cost per decision is π·(1 − R)·cost_fn + (1 − π)·F·cost_fp − π·R·value_tp − (1 − π)·(1 −
    F)·value_tn (recall R, false-positive rate F, prevalence π), linear in R, so with F held
    at the model's current false-positive rate R* = [π·cost_fn + (1 − π)·F·cost_fp − (1 −
    π)·(1 − F)·value_tn − fallback_cost] / [π·(cost_fn + value_tp)].
    """
    _check_share("prevalence", prevalence)
    _check_share("false_positive_rate", false_positive_rate)
    pi, f = prevalence, false_positive_rate
    inputs = {
        "costs": {
            "cost_fp": costs.cost_fp,
            "cost_fn": costs.cost_fn,
            "value_tp": costs.value_tp,
            "value_tn": costs.value_tn,
        },
        "prevalence": prevalence,
        "fallback_cost": fallback_cost,
        "false_positive_rate": false_positive_rate,
    }
    slope = pi * (costs.cost_fn + costs.value_tp)
    if slope <= 0:
        return BreakEven(
            "recall", None, "Recall does not change the cost per decision here.", inputs
        )
    numerator = (
        pi * costs.cost_fn + (1 - pi) * f * costs.cost_fp - (1 - pi) * (1 - f) * costs.value_tn
    )
    recall = (numerator - fallback_cost) / slope
    if recall > 1 and not math.isclose(recall, 1.0, rel_tol=_REL_TOL):
        return BreakEven(
            "recall",
            None,
            f"At a false-positive rate of {f:.2%} even a recall of 100% costs more per "
            f"decision than the fallback ({_money(fallback_cost)}).",
            inputs,
        )
    level = min(1.0, max(0.0, recall))
    return BreakEven(
        "recall",
        level,
        f"At {level:.2%} recall the model costs as much per decision as the fallback "
        f"({_money(fallback_cost)}), as long as it keeps raising false alarms on {f:.2%} of "
        f"negative cases; above it the model is cheaper.",
        inputs,
    )


def _check_share(name: str, value: float) -> None:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be between 0 and 1, got {value}.")
