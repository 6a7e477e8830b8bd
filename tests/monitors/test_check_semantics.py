"""Monitor checks through the service: each direction, band, baseline margin, negative
baseline, ties and missing data — and break-even on a worked example."""

import numpy as np
import pytest

from apps.accounts.models import User
from apps.monitors import services
from apps.monitors.models import Check
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs.models import ModelRun, RunStatus
from apps.runs.services import run_create_from_arrays


def run_with(problem: Problem, task: str = "binary", **metrics: float) -> ModelRun:
    """A ready run whose stored evaluation holds exactly these metric values."""
    return ModelRun.objects.create(
        problem=problem,
        task=task,
        name=f"run-{len(metrics)}",
        status=RunStatus.READY,
        evaluation=dict(metrics),
        kind="external",
    )


CASES = [
    # metric, task, rule fields, value, baseline value, expected state
    ("roc_auc", "binary", {"threshold": 0.8}, 0.85, None, "ok"),
    ("roc_auc", "binary", {"threshold": 0.8}, 0.79, None, "breach"),
    ("roc_auc", "binary", {"threshold": 0.8}, 0.8, None, "ok"),  # a tie passes
    ("roc_auc", "binary", {"threshold": 0.8, "warning_band": 0.05}, 0.82, None, "warn"),
    ("roc_auc", "binary", {"threshold": 0.8, "warning_band": 0.05}, 0.85, None, "ok"),
    ("log_loss", "binary", {"threshold": 0.5}, 0.4, None, "ok"),
    ("log_loss", "binary", {"threshold": 0.5}, 0.6, None, "breach"),
    ("log_loss", "binary", {"threshold": 0.5, "warning_band": 0.1}, 0.45, None, "warn"),
    ("log_loss", "binary", {"threshold": 0.5, "warning_band": 0.1}, 0.5, None, "warn"),
    ("roc_auc", "binary", {"min_abs_change": 0.02}, 0.81, 0.8, "breach"),
    ("roc_auc", "binary", {"min_abs_change": 0.02}, 0.82, 0.8, "ok"),  # tie with the margin
    ("roc_auc", "binary", {"min_abs_change": 0.02, "mode": "non_inferiority"}, 0.79, 0.8, "ok"),
    ("roc_auc", "binary", {"min_abs_change": 0.02, "mode": "non_inferiority"}, 0.77, 0.8, "breach"),
    ("roc_auc", "binary", {}, 0.8, 0.8, "ok"),  # at least as good as the baseline
    ("log_loss", "binary", {"min_abs_change": 0.05}, 0.3, 0.4, "ok"),
    ("log_loss", "binary", {"min_abs_change": 0.05}, 0.38, 0.4, "breach"),
    ("r2", "regression", {"min_rel_change": 0.5}, -0.3, -0.4, "breach"),  # line −0.2
    ("r2", "regression", {"min_rel_change": 0.5}, -0.1, -0.4, "ok"),
    ("roc_auc", "binary", {"threshold": 0.8}, None, None, "no_data"),
    ("roc_auc", "binary", {"threshold": 0.8, "min_abs_change": 0.01}, 0.9, "missing", "no_data"),
]


@pytest.mark.parametrize(("metric", "task", "rule", "value", "baseline", "expected"), CASES)
def test_check_state(
    problem: Problem,
    owner: User,
    django_capture_on_commit_callbacks,  # noqa: ANN001
    metric: str,
    task: str,
    rule: dict,
    value: float | None,
    baseline: object,
    expected: str,
) -> None:
    target = run_with(problem, task, **({} if value is None else {metric: value}))
    base = None
    if baseline is not None:
        base = run_with(problem, task, **({} if baseline == "missing" else {metric: baseline}))
    with django_capture_on_commit_callbacks(execute=True):
        monitor = services.monitor_create(
            problem=problem,
            user=owner,
            name="rule",
            kind="threshold",
            metric=metric,
            target_run=target,
            baseline_run=base,
            **rule,
        )
    check = Check.objects.get(monitor=monitor)
    assert check.state == expected, check.sentence
    assert check.value == value
    if expected == "breach":
        assert check.sentence != "Meets every condition."


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"threshold": 0.8, "warning_band": -0.1}, "warning_band", "≥ 0"),
        ({"min_abs_change": 0.01}, "baseline_run", "needs a baseline"),
        ({}, "threshold", "give a threshold"),
        ({"threshold": 0.8, "metric": "rmse"}, "metric", "Pick a metric"),
        ({"threshold": 0.8, "name": " "}, "name", "name"),
        ({"threshold": 0.8, "segment_column": "country"}, "segment_value", "both"),
        ({"kind": "drift"}, "reference_version", "reference"),
    ],
)
def test_bad_rules_name_the_field_and_store_nothing(
    problem: Problem, owner: User, deployed_run: ModelRun, fields: dict, field: str, message: str
) -> None:
    from django.core.exceptions import ValidationError

    data = {"name": "m", "kind": "threshold", "metric": "roc_auc", "target_run": deployed_run}
    data.update(fields)
    with pytest.raises(ValidationError) as raised:
        services.monitor_create(problem=problem, user=owner, **data)
    assert field in raised.value.message_dict
    assert message.lower() in " ".join(raised.value.message_dict[field]).lower()
    assert not problem.monitors.exists()


def worked_example_scores() -> tuple[np.ndarray, np.ndarray]:
    """100 cases, half positive; at threshold 0.5: TP 43, FN 7, TN 42, FP 8 (accuracy 0.85)."""
    y = np.array([1] * 50 + [0] * 50)
    s = np.array([0.9] * 43 + [0.1] * 7 + [0.1] * 42 + [0.9] * 8)
    return y, s


def test_break_even_on_a_worked_example(
    team,
    owner: User,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    # A mistake costs 10 either way and the fallback costs 2 per case: the model breaks even
    # at an error rate of 2 / 10 = 20 %, i.e. accuracy 0.80.
    problem = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Symmetric",
        task_type="binary",
        positive_label="yes",
        cost_fp=10,
        cost_fn=10,
        fallback_cost_per_case=2,
    )
    y, s = worked_example_scores()
    run = run_create_from_arrays(problem=problem, user=owner, name="m", y_true=y, scores=s)
    with django_capture_on_commit_callbacks(execute=True):
        monitor = services.monitor_create(
            problem=problem,
            user=owner,
            name="floor",
            kind="break_even",
            metric="accuracy",
            target_run=run,
            warning_band=0.03,
        )
    check = Check.objects.get(monitor=monitor)
    assert check.threshold_line == pytest.approx(0.8)
    assert check.warning_line == pytest.approx(0.83)
    assert check.value == pytest.approx(0.85)
    assert check.state == "ok"
    assert (
        "At 80.00% accuracy the model costs as much per decision as the fallback (2)"
        in (check.details["explanation"])
    )
    assert check.details["fallback_name"] == "the fallback's cost per case"
    # A batch at accuracy 0.75 falls below the line.
    import pandas as pd

    y2 = np.array([1] * 50 + [0] * 50)
    s2 = np.array([0.9] * 38 + [0.1] * 12 + [0.1] * 37 + [0.9] * 13)
    batch = services.batch_create_from_frame(
        run=run, predictions=pd.DataFrame({"y_true": y2.astype(np.int8), "score": s2})
    )
    later = services.monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch")
    assert later.value == pytest.approx(0.75)
    assert later.state == "breach"
    assert "below the threshold 0.8" in later.sentence


def test_break_even_without_costs_is_refused(
    team,
    owner: User,  # noqa: ANN001
) -> None:
    from django.core.exceptions import ValidationError

    problem = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="No costs",
        task_type="binary",
        positive_label="yes",
    )
    y, s = worked_example_scores()
    run = run_create_from_arrays(problem=problem, user=owner, name="m", y_true=y, scores=s)
    with pytest.raises(ValidationError) as raised:
        services.monitor_create(
            problem=problem,
            user=owner,
            name="floor",
            kind="break_even",
            metric="accuracy",
            target_run=run,
        )
    assert "cost" in raised.value.message_dict["kind"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "sometimes"}, "kind"),
        ({"threshold": 0.8, "direction": "sideways"}, "direction"),
        ({"threshold": 0.8, "mode": "maybe"}, "mode"),
        ({"threshold": 0.8, "check_interval_minutes": 0}, "check_interval_minutes"),
    ],
)
def test_unknown_choices_name_their_field(
    problem: Problem, owner: User, deployed_run: ModelRun, fields: dict, field: str
) -> None:
    from django.core.exceptions import ValidationError

    data = {"name": "m", "kind": "threshold", "metric": "roc_auc", "target_run": deployed_run}
    data.update(fields)
    with pytest.raises(ValidationError) as raised:
        services.monitor_create(problem=problem, user=owner, **data)
    assert field in raised.value.message_dict
