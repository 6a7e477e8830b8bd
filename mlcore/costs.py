"""The cost of decisions without a model: the first baseline every model must beat.

A decision policy with true-positive rate `tpr` and false-positive rate `fpr`, applied
where a share `prevalence` of cases is positive, has an expected cost per decision of

    prevalence · (1 − tpr) · cost_fn  +  (1 − prevalence) · fpr · cost_fp
  − prevalence · tpr · value_tp       −  (1 − prevalence) · (1 − fpr) · value_tn

"Always positive" is tpr = fpr = 1, "always negative" is tpr = fpr = 0. Negative costs
are net value.
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DecisionCosts:
    """Per-decision costs of mistakes and values of correct decisions (same currency)."""

    cost_fp: float
    cost_fn: float
    value_tp: float = 0.0
    value_tn: float = 0.0

    def __post_init__(self) -> None:
        for name in ("cost_fp", "cost_fn", "value_tp", "value_tn"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0, got {getattr(self, name)}.")


@dataclass(frozen=True)
class PolicyCost:
    """What one decision policy costs, per decision and per month."""

    name: str
    tpr: float
    fpr: float
    cost_per_decision: float
    cost_per_month: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def _check_rate(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}.")


def expected_cost_per_decision(
    costs: DecisionCosts, *, prevalence: float, tpr: float, fpr: float
) -> float:
    """Expected cost of one decision for a policy with these rates (net of values)."""
    for name, value in (("prevalence", prevalence), ("tpr", tpr), ("fpr", fpr)):
        _check_rate(name, value)
    positives, negatives = prevalence, 1.0 - prevalence
    return (
        positives * (1.0 - tpr) * costs.cost_fn
        + negatives * fpr * costs.cost_fp
        - positives * tpr * costs.value_tp
        - negatives * (1.0 - fpr) * costs.value_tn
    )


def policy_cost(
    name: str,
    costs: DecisionCosts,
    *,
    prevalence: float,
    tpr: float,
    fpr: float,
    decisions_per_month: float | None,
) -> PolicyCost:
    per_decision = expected_cost_per_decision(costs, prevalence=prevalence, tpr=tpr, fpr=fpr)
    per_month = None if decisions_per_month is None else per_decision * decisions_per_month
    return PolicyCost(name, tpr, fpr, per_decision, per_month)


@dataclass(frozen=True)
class NoModelCosts:
    """The non-ML alternatives side by side, and which is cheapest."""

    policies: list[PolicyCost]

    @property
    def best(self) -> PolicyCost:
        return min(self.policies, key=lambda p: p.cost_per_decision)

    def to_dict(self) -> dict:
        return {"policies": [p.to_dict() for p in self.policies], "best": self.best.name}


def no_model_costs(
    costs: DecisionCosts,
    *,
    prevalence: float,
    decisions_per_month: float | None = None,
    existing_tpr: float | None = None,
    existing_fpr: float | None = None,
) -> NoModelCosts:
    """Costs of always-positive, always-negative and (rates known) the existing solution."""
    common = {"prevalence": prevalence, "decisions_per_month": decisions_per_month}
    policies = [
        policy_cost("Always positive", costs, tpr=1.0, fpr=1.0, **common),
        policy_cost("Always negative", costs, tpr=0.0, fpr=0.0, **common),
    ]
    if existing_tpr is not None and existing_fpr is not None:
        policies.append(
            policy_cost("Existing solution", costs, tpr=existing_tpr, fpr=existing_fpr, **common)
        )
    return NoModelCosts(policies)
