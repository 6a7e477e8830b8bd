import pytest

from apps.accounts.models import Team, User
from apps.problems import services
from apps.problems.models import Problem

FULL_DEFINITION = {
    "summary": "Flag card payments likely to be fraudulent before they settle.",
    "desired_outcome": "Halve chargeback losses.",
    "decision": "Hold the payment for manual review.",
    "affected_users": "Card holders, reviewers, merchants.",
    "primary_metric": "expected_cost",
    "metric_rationale": "A missed fraud costs the chargeback; a false hold costs review time.",
    "currency": "EUR",
    "cost_fp": 4,
    "cost_fn": 120,
    "decisions_per_month": 200000,
    "positive_rate": 0.02,
    "existing_solution": "Rules engine.",
    "existing_performance": "Catches about half of fraud.",
    "existing_tpr": 0.55,
    "existing_fpr": 0.03,
    "non_ml_mvp": "Block payments above 5,000 EUR from new cards.",
    "data_sources": "Payments ledger, chargeback feed.",
    "label_availability": "Chargebacks arrive within 60 days.",
    "fallback_kind": "human_review",
    "fallback_description": "Analysts review held payments.",
    "fallback_capacity_per_month": 3000,
    "fallback_cost_per_case": 6,
    "critical_segments": "country = DE\nnew customers",
}


@pytest.fixture
def problem(team: Team, owner: User) -> Problem:
    return services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Card fraud screening",
        task_type="binary",
        target_column="is_fraud",
        positive_label="1",
    )


@pytest.fixture
def foreign_problem(other_team: Team, outsider: User) -> Problem:
    return services.problem_create(
        team=other_team, user=outsider, source="web", title="Secret", task_type="regression"
    )
