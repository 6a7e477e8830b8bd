"""Views for baselines, external references, the leaderboard and its gates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404
from apps.datasets.models import VersionStatus
from apps.datasets.selectors import version_list_for_problem
from apps.problems.models import Problem
from apps.runs import baselines, charts
from apps.runs import leaderboard as board_services
from apps.runs.forms import BaselineTrainForm, GateForm, ReferenceForm
from apps.runs.metrics import METRICS, metrics_for_task
from apps.runs.models import Gate, ModelRun, RunStatus


def _get_problem_for_user(request: AppRequest, problem_id: int, *, for_write: bool) -> Problem:
    return get_for_user_or_404(
        Problem.objects.select_related("team"), request.user, for_write=for_write, pk=problem_id
    )


@require_http_methods(["GET", "POST"])
@team_required
def baseline_train(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    versions = version_list_for_problem(problem).filter(status=VersionStatus.READY)
    form = BaselineTrainForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exclude = [c.strip() for c in data["exclude_columns"].split(",") if c.strip()]
        try:
            job = baselines.baseline_train_start(
                problem=problem,
                user=request.user,
                train_version=data["train_version"],
                eval_version=data["eval_version"],
                automl_budget_s=data["automl_budget_s"] if data["automl"] else None,
                include_forest=data["include_forest"],
                exclude_columns=exclude,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("core:job_detail", job_id=job.pk)
    status = 422 if form.errors else 200
    context = {"problem": problem, "form": form, "has_versions": versions.exists()}
    return render(request, "runs/baseline_train.html", context, status=status)


@require_http_methods(["GET", "POST"])
@team_required
def reference_create(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    metrics = metrics_for_task(problem.task_type)
    form = ReferenceForm(request.POST or None, metrics=metrics)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = baselines.reference_create(
                problem=problem,
                user=request.user,
                name=data["name"],
                reference_kind=data["reference_kind"],
                metrics=form.metric_values(),
                source=data["source"],
                url=data["url"],
                date=data["date"],
                sample_size=data["sample_size"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            # "metrics.f1.low" from the service is the form's generated field "f1__low".
            form.add_service_errors(
                exc, rename=lambda field: field.replace("metrics.", "").replace(".", "__")
            )
        else:
            messages.success(request, f"Reference “{run.name}” added to the leaderboard.")
            return redirect("runs:leaderboard", problem_id=problem.pk)
    status = 422 if form.errors else 200
    return render(
        request, "runs/reference_create.html", {"problem": problem, "form": form}, status=status
    )


def _board_context(request: AppRequest, problem: Problem, gate_form: GateForm | None) -> dict:
    board = board_services.leaderboard(problem)
    job = board_services.verdicts_job(board, user=request.user, start=True)
    board_services.attach_verdicts(board, job)
    seen: dict[str, int] = {}
    for e in board["entries"]:
        seen[e.run.name] = seen.get(e.run.name, 0) + 1
    rows = [
        {
            # The chart's rows are categories: two runs called alike need distinct labels.
            "name": e.run.name
            if seen[e.run.name] == 1
            else f"{e.run.name} ({e.run.get_kind_display().lower()})",
            "kind": e.run.kind,
            "value": e.value,
            "low": (e.interval or {}).get("low"),
            "high": (e.interval or {}).get("high"),
        }
        for e in board["entries"]
    ]
    chart = charts.leaderboard_figure(rows, board["metric"].label, board["reference_value"])
    runs = ModelRun.objects.filter(problem=problem, status=RunStatus.READY)
    form = gate_form or GateForm(
        metrics=metrics_for_task(problem.task_type),
        runs=runs,
        initial={"metric": board["metric"].key, "baseline": "best_simple"},
    )
    for gate in board["gates"]:
        gate.label = METRICS[gate.metric].label
        gate.higher_is_better = METRICS[gate.metric].higher_is_better
    return {
        **board,
        "verdict_job": job,
        "chart": figure_json(chart) if any(r["value"] is not None for r in rows) else None,
        "gate_form": form,
        "currency": problem.currency,
    }


@require_GET
@team_required
def leaderboard(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=False)
    context = _board_context(request, problem, None)
    if request.htmx and not request.htmx.boosted:
        return render(request, "runs/leaderboard.html#leaderboard-table", context)
    return render(request, "runs/leaderboard.html", context)


@require_POST
@team_required
def gate_create(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    runs = ModelRun.objects.filter(problem=problem, status=RunStatus.READY)
    form = GateForm(request.POST, metrics=metrics_for_task(problem.task_type), runs=runs)
    if form.is_valid():
        try:
            board_services.gate_create(problem=problem, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Gate added: every candidate run is now checked against it.")
            return redirect("runs:leaderboard", problem_id=problem.pk)
    context = _board_context(request, problem, form)
    return render(request, "runs/leaderboard.html", context, status=422)


@require_POST
@team_required
def gate_delete(request: AppRequest, gate_id: int) -> HttpResponse:
    gate = get_for_user_or_404(
        Gate.objects.select_related("problem__team"),
        request.user,
        for_write=True,
        team_field="problem__team",
        pk=gate_id,
    )
    problem_id = gate.problem_id
    board_services.gate_delete(gate=gate)
    messages.success(request, "Gate removed.")
    return redirect("runs:leaderboard", problem_id=problem_id)
