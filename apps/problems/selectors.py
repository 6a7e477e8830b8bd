"""Reads of problem definitions."""

from django.db.models import Q, QuerySet

from apps.accounts.models import Team
from apps.problems.models import Problem, ProblemRevision
from mlcore.costs import DecisionCosts, NoModelCosts, no_model_costs


def problem_list_for_team(
    team: Team, *, search: str = "", status: str = "", task_type: str = ""
) -> QuerySet[Problem]:
    """The team's problems, most recently changed first, filtered as asked."""
    problems = Problem.objects.filter(team=team).select_related("owner")
    if search:
        problems = problems.filter(
            Q(title__icontains=search)
            | Q(summary__icontains=search)
            | Q(decision__icontains=search)
        )
    if status:
        problems = problems.filter(status=status)
    if task_type:
        problems = problems.filter(task_type=task_type)
    return problems.order_by("-updated_at")


def revision_list_for_problem(problem: Problem) -> QuerySet[ProblemRevision]:
    return problem.revisions.select_related("changed_by").order_by("-changed_at", "-id")


def problem_no_model_costs(problem: Problem) -> NoModelCosts | None:
    """The cost of deciding without a model, when the definition has what it needs."""
    if problem.task_type != "binary" or None in (
        problem.cost_fp,
        problem.cost_fn,
        problem.positive_rate,
    ):
        return None
    costs = DecisionCosts(
        cost_fp=float(problem.cost_fp),
        cost_fn=float(problem.cost_fn),
        value_tp=float(problem.value_tp or 0),
        value_tn=float(problem.value_tn or 0),
    )
    return no_model_costs(
        costs,
        prevalence=problem.positive_rate,
        decisions_per_month=problem.decisions_per_month,
        existing_tpr=problem.existing_tpr,
        existing_fpr=problem.existing_fpr,
    )
