"""Reads for runs: a team's runs, and the metrics at any threshold from the stored sweep."""

from django.db.models import QuerySet

from apps.accounts.models import Team
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from mlcore.evaluation.binary import MAX_CURVE_POINTS


def run_list_for_team(team: Team) -> QuerySet[ModelRun]:
    return ModelRun.objects.filter(problem__team=team).select_related(
        "problem", "dataset_version__dataset", "created_by"
    )


def run_list_for_problem(problem: Problem) -> QuerySet[ModelRun]:
    return ModelRun.objects.filter(problem=problem).select_related("created_by")


def _div(num: float, den: float) -> float:
    return num / den if den else 0.0


def threshold_point(evaluation: dict, threshold: float) -> dict:
    """Confusion counts, metrics and cost when predicting positive for score >= threshold.

    Read from the stored curve (thresholds descending), at the lowest stored threshold that
    is >= the requested one: exact whenever the curve kept every distinct score (≤ 500),
    otherwise the nearest stored point above. No file is read.
    """
    curve = evaluation["curve"]
    n_pos, n_neg = evaluation["n_pos"], evaluation["n_neg"]
    n = n_pos + n_neg
    k = -1
    for i, value in enumerate(curve["thresholds"]):
        if value >= threshold:
            k = i
        else:
            break
    if k >= 0:
        tp = round(curve["tpr"][k] * n_pos)
        fp = round(curve["fpr"][k] * n_neg)
        effective = curve["thresholds"][k]
    else:
        tp = fp = 0
        effective = threshold
    fn, tn = n_pos - tp, n_neg - fp
    point = {
        "threshold": threshold,
        "effective_threshold": effective,
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "precision": _div(tp, tp + fp),
        "recall": _div(tp, n_pos),
        "specificity": _div(tn, n_neg),
        "f1": _div(2 * tp, 2 * tp + fp + fn),
        "accuracy": _div(tp + tn, n),
        "predicted_positive_share": _div(tp + fp, n),
        "cost_per_decision": None,
        "cost_per_month": None,
        # A full curve holds every distinct score; a downsampled one only ≤ 500 of them.
        "approximate": len(curve["thresholds"]) >= MAX_CURVE_POINTS and effective != threshold,
    }
    costs = evaluation.get("decision_costs")
    if costs:
        cost = (
            fn * costs["cost_fn"]
            + fp * costs["cost_fp"]
            - tp * costs["value_tp"]
            - tn * costs["value_tn"]
        ) / n
        point["cost_per_decision"] = cost
        per_month = evaluation.get("decisions_per_month")
        point["cost_per_month"] = None if per_month is None else cost * per_month
    return point
