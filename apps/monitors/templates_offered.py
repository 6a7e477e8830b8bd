"""Monitor templates offered on the create form, filled from the problem and its runs."""

from apps.problems.models import Problem, TaskType
from apps.runs.evaluation import decision_costs
from apps.runs.leaderboard import best_simple_baseline, ready_runs
from apps.runs.metrics import metric_value, primary_metric
from apps.runs.models import ModelRun, RunStatus


def _deployed(problem: Problem) -> ModelRun | None:
    return (
        ModelRun.objects.filter(problem=problem, status=RunStatus.READY, kind="uploaded")
        .order_by("-created_at", "-id")
        .first()
    )


def monitor_templates(problem: Problem) -> list[dict]:
    """“Value floor” (break-even, needs costs), “no worse than the best simple baseline”
    (needs a trained simple baseline) and “primary metric above (or below) X”, with their
    initial fields."""
    run = _deployed(problem)
    primary = primary_metric(problem)
    common = {"target_run": run.pk if run else None, "check_interval_minutes": 60}
    offered = []
    if problem.task_type == TaskType.BINARY and decision_costs(problem) is not None:
        offered.append(
            {
                "key": "value_floor",
                "title": "Value floor",
                "text": "Breach when accuracy falls to the level where the model costs as much "
                "per decision as the fallback (computed from the problem's costs).",
                "initial": {
                    **common,
                    "name": "Value floor (break-even accuracy)",
                    "kind": "break_even",
                    "metric": "accuracy",
                    "warning_band": 0.02,
                },
            }
        )
    # The leaderboard's reference: the best of the dummy, one-rule and linear baselines.
    baseline = best_simple_baseline(ready_runs(problem), primary)
    if baseline is not None:
        offered.append(
            {
                "key": "baseline",
                "title": "No worse than the best simple baseline",
                "text": f"{primary.label} at most 0.01 worse than “{baseline.name}” "
                "(non-inferiority).",
                "initial": {
                    **common,
                    "name": f"No worse than {baseline.name}",
                    "kind": "threshold",
                    "metric": primary.key,
                    "baseline_run": baseline.pk,
                    "mode": "non_inferiority",
                    "min_abs_change": 0.01,
                },
            }
        )
    current = metric_value(run.task, run.evaluation, run.threshold, primary.key) if run else None
    suggestion = None
    if current is not None:
        suggestion = round(current * (0.95 if primary.higher_is_better else 1.05), 3)
    offered.append(
        {
            "key": "primary",
            "title": f"{primary.label} {'above' if primary.higher_is_better else 'below'} X",
            "text": "The primary metric against a threshold you choose"
            + (
                f" (suggested: 5 % worse than today's {current:.3f})."
                if current is not None
                else "."
            ),
            "initial": {
                **common,
                "name": f"{primary.label} {'floor' if primary.higher_is_better else 'ceiling'}",
                "kind": "threshold",
                "metric": primary.key,
                "threshold": suggestion,
                "warning_band": 0.02 if suggestion is not None else None,
            },
        }
    )
    return offered
