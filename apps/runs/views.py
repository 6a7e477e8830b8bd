"""Run pages: the team's runs, upload predictions, a run's evaluation and its threshold."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404
from apps.datasets.models import VersionStatus
from apps.datasets.selectors import version_list_for_problem
from apps.datasets.uploads import TOO_LARGE_ATTRIBUTE, upload_too_large_message
from apps.problems.models import Problem, TaskType
from apps.runs import charts, selectors, services
from apps.runs.forms import RunUploadForm, ThresholdForm
from apps.runs.leaderboard import run_gate_checks, test_sets_used
from apps.runs.metrics import primary_metric, run_comparison_table, run_metric_value
from apps.runs.models import ModelRun, RunKind, RunStatus


def _get_run_for_user(request: AppRequest, run_id: int, *, for_write: bool = False) -> ModelRun:
    return get_for_user_or_404(
        ModelRun.objects.select_related(
            "problem__team", "dataset_version__dataset", "job", "created_by", "threshold_set_by"
        ),
        request.user,
        team_field="problem__team",
        for_write=for_write,
        pk=run_id,
    )


@require_GET
@team_required
def run_list(request: AppRequest) -> HttpResponse:
    runs = _with_primary(list(selectors.run_list_for_team(request.team)))
    problems = Problem.objects.filter(team=request.team).order_by("title")
    return render(request, "runs/run_list.html", {"runs": runs, "problems": problems})


def _with_primary(runs: list[ModelRun]) -> list[ModelRun]:
    """Attach each run's primary metric (of its problem) for the list templates."""
    for run in runs:
        metric = primary_metric(run.problem)
        run.primary_label = metric.label
        run.primary_key = metric.key
        run.primary_value = run_metric_value(run, metric.key)
    return runs


@require_http_methods(["GET", "POST"])
@team_required
def run_upload(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = get_for_user_or_404(
        Problem.objects.select_related("team"), request.user, for_write=True, pk=problem_id
    )
    versions = version_list_for_problem(problem).filter(status=VersionStatus.READY)
    form = RunUploadForm(
        request.POST or None, request.FILES or None, versions=versions, task=problem.task_type
    )
    if request.method == "POST":
        if getattr(request, TOO_LARGE_ATTRIBUTE, False):
            form.add_error("file", upload_too_large_message())
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                job = services.run_upload_start(
                    problem=problem, user=request.user, uploaded=data.pop("file"), **data
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if request.htmx:
                    return render(request, "runs/run_upload.html#upload-started", {"job": job})
                return redirect("core:job_detail", job_id=job.pk)
    context = {"problem": problem, "form": form}
    if request.htmx and request.method == "POST":
        return render(request, "runs/run_upload.html#upload-form", context)
    status = 422 if form.errors else 200
    return render(request, "runs/run_upload.html", context, status=status)


def _read_threshold(raw: str | None, default: float) -> float:
    try:
        value = float(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return min(1.0, max(0.0, value)) if value == value else default


def _panel_context(run: ModelRun, threshold: float, form: ThresholdForm | None = None) -> dict:
    point = selectors.threshold_point(run.evaluation, threshold)
    form = form or ThresholdForm(initial={"threshold": round(threshold, 4)})
    return {
        "run": run,
        "point": point,
        "threshold_form": form,
        "confusion_chart": figure_json(charts.confusion_figure(point)),
        "currency": run.problem.currency,
    }


def _charts(run: ModelRun) -> dict:
    if run.task == TaskType.MULTICLASS:
        return _multiclass_charts(run.evaluation)
    if run.task == TaskType.REGRESSION:
        return _regression_charts(run.evaluation)
    ev = run.evaluation
    prevalence = ev["n_pos"] / ev["n"] if ev["n"] else 0.0
    out = {
        "roc_chart": figure_json(charts.roc_figure(ev["curve"], ev["roc_auc"], run.threshold)),
        "pr_chart": figure_json(
            charts.pr_figure(ev["curve"], ev["pr_auc"], prevalence, run.threshold)
        ),
        "cost_chart": None,
        "calibration_chart": None,
    }
    if ev.get("reliability"):
        out["calibration_chart"] = figure_json(
            charts.calibration_figure(ev["reliability"], ev["ece"])
        )
    if ev.get("cost") and ev["curve"].get("cost_per_decision"):
        out["cost_chart"] = figure_json(
            charts.cost_figure(ev["curve"], ev["cost"], run.threshold, run.problem.currency)
        )
    return out


def _multiclass_charts(ev: dict) -> dict:
    return {
        "multiclass_confusion_chart": figure_json(
            charts.multiclass_confusion_figure(ev["labels"], ev["confusion_matrix"])
        ),
        "per_class_chart": figure_json(charts.per_class_figure(ev["per_class"])),
    }


def _regression_charts(ev: dict) -> dict:
    out = {"residual_chart": figure_json(charts.residual_figure(ev["residual_quantiles"]))}
    if ev.get("scatter"):
        out["scatter_chart"] = figure_json(charts.regression_scatter_figure(ev["scatter"]))
    return out


# (key, label) of the headline cards per task; binary's are below with their intervals.
TASK_HEADLINES = {
    TaskType.MULTICLASS: (
        ("accuracy", "Accuracy"),
        ("macro_f1", "Macro F1"),
        ("weighted_f1", "Weighted F1"),
        ("macro_recall", "Macro recall"),
        ("log_loss", "Log loss"),
        ("roc_auc_ovr_macro", "ROC AUC (one-vs-rest)"),
    ),
    TaskType.REGRESSION: (
        ("mae", "MAE"),
        ("rmse", "RMSE"),
        ("r2", "R²"),
        ("mape", "MAPE"),
    ),
}


def _headline(run: ModelRun) -> list[dict]:
    ev, intervals = run.evaluation, run.intervals or {}
    if run.task in TASK_HEADLINES:
        return [
            {
                "key": key,
                "label": label,
                "value": ev.get(key),
                "interval": intervals.get(key),
                "undefined": ev.get("undefined", {}).get(key),
            }
            for key, label in TASK_HEADLINES[run.task]
        ]
    rows = [
        ("roc_auc", "ROC AUC", intervals.get("roc_auc")),
        ("pr_auc", "PR AUC", None),
        ("f1", "F1 at 0.5", intervals.get("f1")),
        ("log_loss", "Log loss", None),
        ("brier", "Brier score", None),
        ("ece", "ECE (calibration)", None),
    ]
    return [
        {
            "key": key,
            "label": label,
            "value": ev.get(key),
            "interval": interval,
            "undefined": ev.get("undefined", {}).get(key),
        }
        for key, label, interval in rows
    ]


MAX_COMPARED = 3


def _all_scored(runs: list[ModelRun]) -> bool:
    """Paired bootstrap needs every run's binary scores on file."""
    return all(run.task == TaskType.BINARY and run.storage_key for run in runs)


def _parse_run_ids(values: list[str]) -> list[int] | None:
    """Run ids from ?runs=1,2 or ?runs=1&runs=2, in order, without repeats; None if malformed."""
    ids: list[int] = []
    for part in ",".join(values).split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            return None
        if int(part) not in ids:
            ids.append(int(part))
    return ids


def _compare_error(ids: list[int] | None, runs: list[ModelRun]) -> str | None:
    if ids is None or not 2 <= len(ids) <= MAX_COMPARED:
        return f"Pick two or three runs to compare (?runs=1,2), got {len(ids or [])}."
    if len({run.problem_id for run in runs}) > 1:
        return "These runs belong to different problems; only runs of one problem can be compared."
    if any(run.status != RunStatus.READY for run in runs):
        return "Every compared run must be evaluated (ready) first."
    return None


DEFAULT_TARGET_PRECISION = 0.95


def _read_target(raw: str | None) -> float:
    try:
        value = float(raw) if raw not in (None, "") else DEFAULT_TARGET_PRECISION
    except ValueError:
        return DEFAULT_TARGET_PRECISION
    return min(1.0, max(0.0, value)) if value == value else DEFAULT_TARGET_PRECISION


def _abstention_context(run: ModelRun, raw_target: str | None) -> dict:
    """The stored abstention curve and the cut-off meeting ?target= (no file is read)."""
    target = _read_target(raw_target)
    context: dict = {"run": run, "abstention": run.abstention, "target": target}
    if run.abstention:
        point = selectors.abstention_target(run.abstention, target)
        context["target_point"] = point
        context["abstention_chart"] = figure_json(
            charts.abstention_figure(run.abstention, point, run.problem.currency)
        )
        context["currency"] = run.problem.currency
    return context


@require_GET
@team_required
def run_abstention(request: AppRequest, run_id: int) -> HttpResponse:
    """The abstention panel at ?target=…, answered from the stored curve."""
    run = _get_run_for_user(request, run_id)
    if run.status != RunStatus.READY or run.task != TaskType.BINARY:
        return redirect("runs:run_detail", run_id=run.pk)
    context = _abstention_context(run, request.GET.get("target"))
    if request.htmx and not request.htmx.boosted:
        return render(request, "runs/run_detail.html#abstention-panel", context)
    return redirect(f"{reverse('runs:run_detail', args=[run.pk])}?target={context['target']}")


def _task_segment_context(run: ModelRun) -> dict:
    """Multiclass/regression segments with a bar chart of each column's headline metric."""
    segments = selectors.task_segment_report(run)
    if segments is None:
        return {"task_segments": None}
    for column in segments["columns"]:
        column["chart"] = figure_json(
            charts.task_segment_figure(column, segments["overall"], segments["headline"])
        )
    return {"task_segments": segments}


def _segment_context(run: ModelRun) -> dict:
    report = selectors.segment_report(run)
    if report is None:
        return {"segments": None}
    for column in report["columns"]:
        column["chart"] = figure_json(charts.segment_figure(column, report["overall"]))
    return {"segments": report}


@require_GET
@team_required
def run_detail(request: AppRequest, run_id: int) -> HttpResponse:
    run = _get_run_for_user(request, run_id)
    context: dict = {"run": run, "problem": run.problem}
    if run.status == RunStatus.READY:
        context.update(_charts(run))
        context["headline"] = _headline(run)
        context["gate_checks"] = run_gate_checks(run)
        if run.task != TaskType.BINARY:
            context.update(_task_segment_context(run))
    if run.status == RunStatus.READY and run.task == TaskType.BINARY:
        context.update(_panel_context(run, run.threshold))
        context.update(_abstention_context(run, request.GET.get("target")))
        context.update(_segment_context(run))
    if request.htmx and not request.htmx.boosted:
        response = render(request, "runs/run_detail.html#run-status", context)
        if run.status != RunStatus.EVALUATING:
            response["HX-Refresh"] = "true"  # evaluated: load the full page once
        return response
    return render(request, "runs/run_detail.html", context)


@require_GET
@team_required
def run_threshold(request: AppRequest, run_id: int) -> HttpResponse:
    """The threshold panel at ?t=…, from the stored sweep (no file is read)."""
    run = _get_run_for_user(request, run_id)
    if run.status != RunStatus.READY or run.task != TaskType.BINARY:
        return redirect("runs:run_detail", run_id=run.pk)
    threshold = _read_threshold(request.GET.get("t"), run.threshold)
    context = _panel_context(run, threshold)
    return render(request, "runs/run_detail.html#threshold-panel", context)


@require_POST
@team_required
def run_threshold_save(request: AppRequest, run_id: int) -> HttpResponse:
    run = _get_run_for_user(request, run_id, for_write=True)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            services.run_threshold_set(run=run, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Operating threshold set to {run.threshold:g}.")
            return redirect("runs:run_detail", run_id=run.pk)
    threshold = _read_threshold(request.POST.get("threshold"), run.threshold)
    context = _panel_context(run, threshold, form)
    if request.htmx:
        return render(request, "runs/run_detail.html#threshold-panel", context)
    context.update({"problem": run.problem, "headline": _headline(run), **_charts(run)})
    context.update(_abstention_context(run, None))
    context.update(_segment_context(run))
    return render(request, "runs/run_detail.html", context, status=422)


@require_GET
@team_required
def problem_panel(request: AppRequest, problem_id: int) -> HttpResponse:
    """The runs card on a problem page (loaded lazily: problems cannot import runs)."""
    problem = get_for_user_or_404(
        Problem.objects.select_related("team"), request.user, pk=problem_id
    )
    runs = list(selectors.run_list_for_problem(problem))
    models = _with_primary([run for run in runs if run.kind != RunKind.BASELINE])
    for run in models:
        run.cost_at_threshold = selectors.run_cost_at_threshold(run)
    context = {
        "problem": problem,
        "models": models,
        "baseline_count": sum(run.kind == RunKind.BASELINE for run in runs),
        "reference_count": sum(run.kind == RunKind.EXTERNAL for run in runs),
        "gate_count": problem.gates.count(),
    }
    return render(request, "runs/problem_panel.html", context)


@require_GET
@team_required
def run_compare(request: AppRequest) -> HttpResponse:
    """Headline metrics side by side, and paired bootstrap differences on shared rows."""
    ids = _parse_run_ids(request.GET.getlist("runs"))
    runs = [_get_run_for_user(request, run_id) for run_id in (ids or [])[: MAX_COMPARED + 1]]
    error = _compare_error(ids, runs)
    context: dict = {"runs": runs, "error": error}
    if error is not None:
        return render(request, "runs/run_compare.html", context, status=400)
    context.update(
        {
            "problem": runs[0].problem,
            "table": run_comparison_table(runs),
            "test_sets": test_sets_used(runs),
            "paired_job": (
                services.run_compare_start(runs=runs, user=request.user)
                if _all_scored(runs)
                else None
            ),
        }
    )
    return render(request, "runs/run_compare.html", context)
