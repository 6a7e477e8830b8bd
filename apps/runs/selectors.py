"""Reads for runs: a team's runs, and the metrics at any threshold from the stored sweep."""

from collections.abc import Callable

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


def run_cost_at_threshold(run: ModelRun) -> float | None:
    """Expected cost per decision at the run's saved threshold, from the stored sweep."""
    if not run.evaluation or not run.evaluation.get("curve"):
        return None
    return threshold_point(run.evaluation, run.threshold)["cost_per_decision"]


def abstention_target(abstention: dict, target_precision: float) -> dict | None:
    """The stored cut-off with the largest coverage whose answered cases reach the precision."""
    best = None
    for k, precision in enumerate(abstention["precision"]):
        if precision is not None and precision >= target_precision:
            best = k
    if best is None:
        return None
    cost = abstention.get("cost_per_decision")
    return {
        "cutoff": abstention["cutoffs"][best],
        "coverage": abstention["coverage"][best],
        "answered": abstention["answered"][best],
        "precision": abstention["precision"][best],
        "accuracy": abstention["accuracy"][best],
        "cost_per_decision": None if cost is None else cost[best],
    }


def parse_critical(line: str) -> tuple[str, str] | None:
    """("country", "DE") from "country = DE"; None for anything else (e.g. "age < 40")."""
    if line.count("=") != 1 or any(op in line for op in ("<=", ">=", "!=")):
        return None
    column, value = (part.strip().strip("\"'“”") for part in line.split("="))
    return (column, value) if column and value else None


def _find_segment_row(line: str, segments: dict, out: dict) -> dict | None:
    """The stored row a "column = value" line names, or None with the reason in `out`."""
    parsed = parse_critical(line)
    if parsed is None:
        out["note"] = "not of the form “column = value”: not checked"
        return None
    out["column"], out["value"] = parsed
    column = next((c for c in segments["columns"] if c["column"] == parsed[0]), None)
    if column is None:
        out.update(status="missing", note=f"no segment column “{parsed[0]}” in this upload")
        return None
    row = next((r for r in column["rows"] if r["value"] == parsed[1]), None)
    if row is None:
        out.update(status="missing", note=f"no rows with {parsed[0]} = {parsed[1]}")
    return row


def _task_critical_status(line: str, segments: dict) -> dict:
    """A critical segment of a multiclass or regression run: failing when its whole interval
    of the headline metric (accuracy, RMSE) is worse than the overall value."""
    out = {"line": line, "column": None, "value": None, "status": "unparsed", "row": None}
    row = _find_segment_row(line, segments, out)
    if row is None:
        return out
    out["row"] = row
    headline = segments["headline"]
    overall = segments["overall"]["metrics"][headline]
    value = row["metrics"][headline]
    lower_is_better = headline == "rmse"
    if row["low"] is None or overall is None:
        out.update(status="unknown", note="too few rows for an interval")
        return out
    beyond = row["low"] > overall if lower_is_better else row["high"] < overall
    worse = value > overall if lower_is_better else value < overall
    if beyond:
        out.update(status="failing", note=f"{headline} worse than overall, beyond its interval")
    elif worse:
        out.update(status="checked", note="worse than overall, within its interval")
    else:
        out.update(status="checked", note="as good as overall or better")
    return out


def task_segment_report(run: ModelRun) -> dict | None:
    """Multiclass/regression segments with the problem's critical segments checked."""
    if not run.segments or "headline" not in run.segments:
        return None
    return _with_critical(run, _task_critical_status)


def _critical_status(line: str, segments: dict) -> dict:
    """One critical segment checked against the run's per-segment metrics.

    The rule: a segment fails when its ROC AUC is worse than the overall ROC AUC by more
    than the half-width of its own 95 % interval, i.e. its whole interval lies below the
    overall value. Otherwise it is checked; "below overall" only notes a smaller value.
    """
    out = {"line": line, "column": None, "value": None, "status": "unparsed", "row": None}
    row = _find_segment_row(line, segments, out)
    if row is None:
        return out
    out["row"] = row
    overall = segments["overall"]["roc_auc"]
    if row["roc_auc"] is None or overall is None:
        out.update(status="unknown", note="ROC AUC undefined (one class only)")
    elif row["roc_auc_high"] < overall:
        gap = overall - row["roc_auc"]
        out.update(status="failing", note=f"ROC AUC {gap:.3f} below overall, beyond its interval")
    elif row["roc_auc"] < overall:
        out.update(status="checked", note="below overall, within its interval")
    else:
        out.update(status="checked", note="at or above overall")
    return out


def segment_report(run: ModelRun) -> dict | None:
    """The stored segment metrics with the problem's critical segments checked against them."""
    if not run.segments:
        return None
    return _with_critical(run, _critical_status)


def _with_critical(run: ModelRun, check: Callable[[str, dict], dict]) -> dict:
    """The stored segments, each row marked with its critical status, and the checks."""
    segments = run.segments
    critical = [check(line, segments) for line in run.problem.segment_list]
    marks = {(c["column"], c["value"]): c["status"] for c in critical if c["row"] is not None}
    columns = [
        {
            **column,
            "rows": [
                {**row, "critical": marks.get((column["column"], row["value"]))}
                for row in column["rows"]
            ],
        }
        for column in segments["columns"]
    ]
    return {**segments, "columns": columns, "critical": critical}
