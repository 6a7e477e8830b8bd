"""The leaderboard of a problem: every run and baseline on its primary metric, with gain,
cost, gates, and paired verdicts against the best simple baseline.

Values, intervals, gain and gates are read from stored evaluations in the request. The
paired verdicts resample rows, which is long work: a job computes them for the current set
of runs, thresholds and reference, and the page shows its progress until they are in.
"""

from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery

from apps.accounts.models import User
from apps.core import services as job_services
from apps.core.jobs import JobDataError, Progress
from apps.core.models import Job, JobStatus
from apps.problems.models import Problem, TaskType
from apps.runs.baselines import SIMPLE_RUNGS
from apps.runs.evaluation import decision_costs, prediction_arrays
from apps.runs.metrics import (
    METRICS,
    Metric,
    metrics_for_task,
    primary_metric,
    run_metric_interval,
    run_metric_value,
)
from apps.runs.models import Gate, GateBaseline, ModelRun, RunKind, RunStatus
from apps.runs.services import PAIRED_REPLICATES, PAIRED_SEED
from mlcore.evaluation.paired import paired_bootstrap
from mlcore.evaluation.paired_generic import paired_difference, statistic_for
from mlcore.leaderboard import gain_for
from mlcore.rules import Rule, check_rule, worst_state

VERDICTS_KIND = "leaderboard_verdicts"
# Binary metrics the sort-once paired module covers, and its name for each.
SORT_ONCE = {"roc_auc": "roc_auc", "f1": "f1", "expected_cost": "cost_per_decision"}


def direction(metric: Metric) -> str:
    return "higher" if metric.higher_is_better else "lower"


# ---- gates ------------------------------------------------------------------------------------


def gate_rule(gate: Gate, baseline_label: str | None = None) -> Rule:
    """The mlcore rule a gate stands for (ValueError with a field-named message if invalid)."""
    metric = METRICS[gate.metric]
    compares = gate.baseline != GateBaseline.NONE
    return Rule(
        metric=gate.metric,
        metric_label=metric.label,
        direction=direction(metric),
        threshold=gate.threshold,
        baseline_label=(baseline_label or "the baseline") if compares else None,
        min_abs_change=gate.min_abs_change if compares else None,
        min_rel_change=gate.min_rel_change if compares else None,
        mode=gate.mode,
    )


def gate_create(
    *,
    problem: Problem,
    user: User,
    metric: str,
    threshold: float | None = None,
    baseline: str = GateBaseline.NONE,
    baseline_run: ModelRun | None = None,
    min_abs_change: float | None = None,
    min_rel_change: float | None = None,
    mode: str = "superiority",
) -> Gate:
    """Add a gate after checking it is a valid rule for a metric of the problem's task."""
    if metric not in {m.key for m in metrics_for_task(problem.task_type)}:
        raise ValidationError({"metric": "Choose a metric of this problem's task."})
    if baseline == GateBaseline.RUN and (
        baseline_run is None or baseline_run.problem_id != problem.pk
    ):
        raise ValidationError({"baseline_run": "Choose a run or reference of this problem."})
    gate = Gate(
        problem=problem,
        metric=metric,
        threshold=threshold,
        baseline=baseline or GateBaseline.NONE,
        baseline_run=baseline_run if baseline == GateBaseline.RUN else None,
        min_abs_change=min_abs_change,
        min_rel_change=min_rel_change,
        mode=mode,
        created_by=user,
    )
    try:
        gate_rule(gate)
    except ValueError as exc:
        raise ValidationError({_rule_error_field(str(exc)): str(exc)}) from exc
    gate.save()
    return gate


RULE_FIELDS = {
    "threshold": "threshold",
    "min_abs_change": "min_abs_change",
    "min_rel_change": "min_rel_change",
    "mode": "mode",
    "baseline_label": "baseline",
}


def _rule_error_field(message: str) -> str:
    """The form field a mlcore.rules message is about (it starts with the field's name)."""
    first = message.split(" ", 1)[0].strip(":,.")
    return RULE_FIELDS.get(first, "__all__")


def gate_delete(*, gate: Gate) -> None:
    gate.delete()


@dataclass
class GateCheck:
    gate: Gate
    state: str
    sentence: str
    value: float | None
    baseline_value: float | None
    baseline_name: str | None


def check_gates(run: ModelRun, gates: list[Gate], candidates: list[ModelRun]) -> list[GateCheck]:
    """Every gate checked against the run; "best simple baseline" is chosen per gate metric."""
    checks = []
    for gate in gates:
        metric = METRICS[gate.metric]
        if gate.baseline == GateBaseline.BEST_SIMPLE:
            base_run = best_simple_baseline(candidates, metric)
        else:
            base_run = gate.baseline_run
        compares = gate.baseline != GateBaseline.NONE
        base_value = run_metric_value(base_run, gate.metric) if compares and base_run else None
        rule = gate_rule(gate, base_run.name if base_run else None)
        result = check_rule(rule, run_metric_value(run, gate.metric), base_value)
        sentence = result.sentence
        if compares and base_run is None:
            sentence = "No baseline to compare with yet: train the baselines."
        checks.append(
            GateCheck(
                gate=gate,
                state=str(result.state),
                sentence=sentence,
                value=result.value,
                baseline_value=base_value,
                baseline_name=base_run.name if base_run else None,
            )
        )
    return checks


def run_gate_checks(run: ModelRun) -> list[GateCheck] | None:
    """The problem's gates checked against one uploaded run (None: no gates or not a candidate)."""
    gates = list(run.problem.gates.select_related("baseline_run"))
    if not gates or run.kind != RunKind.UPLOADED or run.status != RunStatus.READY:
        return None
    return check_gates(run, gates, ready_runs(run.problem))


def gate_status(checks: list[GateCheck]) -> str | None:
    """ok / breach / no_data over a run's gates (None without gates)."""
    return str(worst_state(c.state for c in checks)) if checks else None


# ---- the board --------------------------------------------------------------------------------


@dataclass
class Entry:
    run: ModelRun
    value: float | None
    interval: dict | None
    cost_per_decision: float | None
    cost_per_month: float | None
    gain: float | None
    is_reference: bool = False
    gates: list[GateCheck] = field(default_factory=list)
    gate_status: str | None = None
    verdict: dict | None = None


def ready_runs(problem: Problem) -> list[ModelRun]:
    return list(
        ModelRun.objects.filter(problem=problem, status=RunStatus.READY)
        .select_related("dataset_version__dataset", "created_by")
        .order_by("created_at", "id")
    )


def best_simple_baseline(runs: list[ModelRun], metric: Metric) -> ModelRun | None:
    """The best of the trained dummy, one-rule and linear baselines on the metric."""
    simple = [
        (value, run)
        for run in runs
        if run.kind == RunKind.BASELINE
        and run.baseline_key in SIMPLE_RUNGS
        and (value := run_metric_value(run, metric.key)) is not None
    ]
    if not simple:
        return None
    pick = max if metric.higher_is_better else min
    return pick(simple, key=lambda pair: pair[0])[1]


def _cost(run: ModelRun, problem: Problem) -> tuple[float | None, float | None]:
    if run.task != TaskType.BINARY:
        return None, None
    per_decision = run_metric_value(run, "expected_cost")
    per_month = problem.decisions_per_month
    if per_decision is None or per_month is None:
        return per_decision, None
    return per_decision, per_decision * per_month


def _sort_key(entry: Entry, higher: bool) -> tuple:
    if entry.value is None:
        return (1, 0.0)
    return (0, -entry.value if higher else entry.value)


def test_sets_used(runs: list[ModelRun]) -> list:
    """The test and holdout versions these runs were scored on, most reused first."""
    versions = {
        run.dataset_version.pk: run.dataset_version
        for run in runs
        if run.dataset_version is not None and run.dataset_version.is_evaluation_set
    }
    return sorted(versions.values(), key=lambda v: -v.evaluation_count)


def _verdicts_key(metric: Metric, reference: ModelRun | None, runs: list[ModelRun]) -> str:
    ids = ",".join(f"{r.pk}@{r.threshold!r}" for r in runs if r.storage_key)
    return f"{metric.key}|{reference.pk if reference else '-'}|{ids}"


def leaderboard(problem: Problem) -> dict:
    """Entries best first, with the reference, the gates and the verdict job's key."""
    metric = primary_metric(problem)
    runs = ready_runs(problem)
    reference = best_simple_baseline(runs, metric)
    ref_value = run_metric_value(reference, metric.key) if reference else None
    gates = list(problem.gates.select_related("baseline_run"))
    entries = []
    for run in runs:
        value = run_metric_value(run, metric.key)
        cost, per_month = _cost(run, problem)
        entry = Entry(
            run=run,
            value=value,
            interval=run_metric_interval(run, metric.key),
            cost_per_decision=cost,
            cost_per_month=per_month,
            gain=gain_for(metric.key, value, ref_value),
            is_reference=reference is not None and run.pk == reference.pk,
        )
        if gates and run.kind == RunKind.UPLOADED:
            entry.gates = check_gates(run, gates, runs)
            entry.gate_status = gate_status(entry.gates)
        entries.append(entry)
    entries.sort(key=lambda e: _sort_key(e, metric.higher_is_better))
    return {
        "test_sets": test_sets_used(runs),
        "problem": problem,
        "metric": metric,
        "reference": reference,
        "reference_value": ref_value,
        "entries": entries,
        "gates": gates,
        "verdicts_key": _verdicts_key(metric, reference, runs),
    }


def attach_verdicts(board: dict, job: Job | None) -> None:
    """Copy a finished verdict job's results onto the entries."""
    if job is None or job.status != JobStatus.SUCCEEDED:
        return
    verdicts = (job.result or {}).get("verdicts", {})
    for entry in board["entries"]:
        entry.verdict = verdicts.get(str(entry.run.pk))


def verdicts_job(board: dict, *, user: User | None, start: bool) -> Job | None:
    """The job holding paired verdicts for this board's state; started when asked and absent."""
    if board["reference"] is None or not board["reference"].storage_key:
        return None
    problem = board["problem"]
    key = board["verdicts_key"]
    job = (
        Job.objects.filter(team=problem.team, kind=VERDICTS_KIND, params__key=key)
        .exclude(status__in=[JobStatus.FAILED, JobStatus.CANCELLED])
        .order_by("-created_at")
        .first()
    )
    if job is None and start:
        job = job_services.job_create(
            team=problem.team,
            kind=VERDICTS_KIND,
            title=f"Leaderboard verdicts for {problem.title}",
            params={
                "key": key,
                "problem_id": problem.pk,
                "metric": board["metric"].key,
                "reference_id": board["reference"].pk,
            },
            user=user,
        )
    return job


# ---- the verdict job -------------------------------------------------------------------------


def _pair(metric: Metric, reference: ModelRun, run: ModelRun, ref_data: tuple, costs) -> dict:  # noqa: ANN001
    y, ref_pred = ref_data
    other_y, other_pred = prediction_arrays(run)
    if other_y.shape != y.shape or not np.array_equal(other_y, y):
        return {"state": "not_paired", "reason": "scored on different rows"}
    if ref_pred.shape != other_pred.shape:
        return {"state": "not_paired", "reason": "different classes"}
    if run.task == TaskType.BINARY and metric.key in SORT_ONCE:
        comparison = paired_bootstrap(
            y,
            ref_pred,
            other_pred,
            threshold_base=reference.threshold,
            threshold_other=run.threshold,
            costs=costs,
            replicates=PAIRED_REPLICATES,
            seed=PAIRED_SEED,
        )
        d = getattr(comparison, SORT_ONCE[metric.key])
        if d is None:
            return {"state": "undefined", "reason": f"{metric.label} is undefined on these rows"}
        return {"state": "tested", **d.to_dict()}
    base = statistic_for(run.task, metric.key, y, ref_pred, reference.threshold)
    other = statistic_for(run.task, metric.key, y, other_pred, run.threshold)
    if base is None or other is None:
        return {"state": "undefined", "reason": f"no paired interval for {metric.label}"}
    result = paired_difference(
        base,
        other,
        y.size,
        direction=direction(metric),
        replicates=PAIRED_REPLICATES,
        seed=PAIRED_SEED,
    )
    return {"state": "tested", **result}


def leaderboard_verdicts(*, job: Job, progress: Progress) -> dict:
    """Paired bootstrap of every run with stored predictions against the reference."""
    p = job.params
    problem = Problem.objects.get(pk=p["problem_id"])
    metric = METRICS[p["metric"]]
    reference = ModelRun.objects.filter(pk=p["reference_id"]).first()
    if reference is None or not reference.storage_key:
        raise JobDataError("The reference baseline was deleted; open the leaderboard again.")
    runs = [r for r in ready_runs(problem) if r.storage_key and r.pk != reference.pk]
    costs = decision_costs(problem)
    progress(3, f"Reading {reference.name}")
    ref_data = prediction_arrays(reference)
    verdicts = {}
    for i, run in enumerate(runs):
        progress(5 + 90 * i / max(len(runs), 1), f"Resampling {run.name} against {reference.name}")
        verdicts[str(run.pk)] = _pair(metric, reference, run, ref_data, costs)
    progress(100, "Verdicts ready")
    return {
        "problem_id": problem.pk,
        "metric": metric.key,
        "reference": {"run_id": reference.pk, "name": reference.name},
        "verdicts": verdicts,
        "replicates": PAIRED_REPLICATES,
    }


@dataclass
class GateSummary:
    """The gate status of a problem's newest uploaded run, for overviews."""

    status: str | None
    run: ModelRun | None
    failed: list[str]


def gate_summaries(problems: list[Problem]) -> dict[int, GateSummary]:
    """Per problem with gates: its newest ready uploaded run checked against them.

    A fixed number of queries whatever the number of problems: the gates, the newest
    uploaded run's id per problem and those runs, and the simple baselines that "best simple
    baseline" gates compare with.
    """
    ids = [p.pk for p in problems]
    gates: dict[int, list[Gate]] = {}
    # No join to the runs table here: most boards have no gates, and the join made SQLite
    # read the runs' large evaluation rows anyway. Chosen baseline runs come after, if any.
    for gate in Gate.objects.filter(problem_id__in=ids):
        gates.setdefault(gate.problem_id, []).append(gate)
    if not gates:
        return {}
    chosen = {g.baseline_run_id for found in gates.values() for g in found if g.baseline_run_id}
    if chosen:
        runs = ModelRun.objects.in_bulk(chosen)
        for found in gates.values():
            for gate in found:
                if gate.baseline_run_id:
                    gate.baseline_run = runs.get(gate.baseline_run_id)
    # Only each problem's newest candidate is loaded: runs carry their whole evaluation.
    newest_ids = Problem.objects.filter(pk__in=list(gates)).annotate(
        newest=Subquery(
            ModelRun.objects.filter(
                problem=OuterRef("pk"), kind=RunKind.UPLOADED, status=RunStatus.READY
            )
            .order_by("-created_at", "-id")
            .values("pk")[:1]
        )
    )
    newest = {
        run.problem_id: run
        for run in ModelRun.objects.filter(
            pk__in=[pk for pk in newest_ids.values_list("newest", flat=True) if pk]
        )
    }
    simple: dict[int, list[ModelRun]] = {}
    for run in ModelRun.objects.filter(
        problem_id__in=list(gates),
        kind=RunKind.BASELINE,
        baseline_key__in=SIMPLE_RUNGS,
        status=RunStatus.READY,
    ):
        simple.setdefault(run.problem_id, []).append(run)
    out = {}
    for problem_id, problem_gates in gates.items():
        run = newest.get(problem_id)
        if run is None:
            out[problem_id] = GateSummary(status=None, run=None, failed=[])
            continue
        checks = check_gates(run, problem_gates, simple.get(problem_id, []))
        out[problem_id] = GateSummary(
            status=gate_status(checks),
            run=run,
            failed=[c.sentence for c in checks if c.state != "ok"],
        )
    return out
