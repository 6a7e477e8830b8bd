"""mlcore.costs: expected cost of decision policies."""

import pytest

from mlcore.costs import DecisionCosts, expected_cost_per_decision, no_model_costs


def test_values_of_correct_decisions_reduce_the_cost() -> None:
    costs = DecisionCosts(cost_fp=1, cost_fn=10, value_tp=5, value_tn=0.5)
    cost = expected_cost_per_decision(costs, prevalence=0.1, tpr=0.8, fpr=0.2)
    assert cost == pytest.approx(0.1 * 0.2 * 10 + 0.9 * 0.2 * 1 - 0.1 * 0.8 * 5 - 0.9 * 0.8 * 0.5)


def test_the_cheapest_policy_is_named() -> None:
    result = no_model_costs(DecisionCosts(cost_fp=1, cost_fn=100), prevalence=0.5)
    assert result.best.name == "Always positive"
    assert result.to_dict()["best"] == "Always positive"


def test_existing_solution_appears_only_with_both_rates() -> None:
    result = no_model_costs(DecisionCosts(cost_fp=1, cost_fn=1), prevalence=0.5, existing_tpr=0.9)
    assert [p.name for p in result.policies] == ["Always positive", "Always negative"]


@pytest.mark.parametrize("bad", [{"prevalence": -0.1}, {"prevalence": 1.1}])
def test_rates_outside_0_1_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError, match="prevalence"):
        no_model_costs(DecisionCosts(cost_fp=1, cost_fn=1), **bad)


def test_negative_costs_are_refused() -> None:
    with pytest.raises(ValueError, match="cost_fp"):
        DecisionCosts(cost_fp=-1, cost_fn=1)
