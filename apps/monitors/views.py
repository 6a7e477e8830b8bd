"""Monitor pages: lists, create/edit with templates, the monitor with its history chart,
batch upload, channels with a test button, and the team's notification log."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import team_required, write_required
from apps.accounts.http import AppRequest
from apps.core.scoping import get_for_user_or_404
from apps.datasets.uploads import TOO_LARGE_ATTRIBUTE, upload_too_large_message
from apps.monitors import charts, notifications, selectors, services
from apps.monitors.forms import BatchUploadForm, ChannelForm, MonitorForm
from apps.monitors.models import Channel, Monitor
from apps.monitors.templates_offered import monitor_templates
from apps.problems.models import Problem
from apps.runs.metrics import METRICS
from apps.runs.models import ModelRun, RunStatus


def _get_monitor_for_user(
    request: AppRequest, monitor_id: int, *, for_write: bool = False
) -> Monitor:
    return get_for_user_or_404(
        Monitor.objects.select_related(
            "problem__team", "target_run", "baseline_run", "reference_version__dataset"
        ),
        request.user,
        team_field="problem__team",
        for_write=for_write,
        pk=monitor_id,
    )


def _get_problem_for_user(request: AppRequest, problem_id: int, *, for_write: bool = False):  # noqa: ANN202
    return get_for_user_or_404(
        Problem.objects.select_related("team"), request.user, for_write=for_write, pk=problem_id
    )


@require_GET
@team_required
def monitor_list(request: AppRequest) -> HttpResponse:
    monitors = selectors.sort_worst_first(list(selectors.monitor_list_for_team(request.team)))
    problems = Problem.objects.filter(team=request.team).order_by("title")
    context = {"monitors": monitors, "problems": problems, "problem": None}
    return render(request, "monitors/monitor_list.html", context)


@require_GET
@team_required
def problem_monitors(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id)
    monitors = selectors.sort_worst_first(list(selectors.monitor_list_for_problem(problem)))
    context = {"monitors": monitors, "problem": problem, "problems": [problem]}
    if request.htmx and not request.htmx.boosted:
        return render(request, "monitors/monitor_list.html#monitor-table", context)
    return render(request, "monitors/monitor_list.html", context)


@require_GET
@team_required
def problem_panel(request: AppRequest, problem_id: int) -> HttpResponse:
    """The monitors card on a problem page (loaded lazily: problems cannot import monitors)."""
    problem = _get_problem_for_user(request, problem_id)
    monitors = selectors.sort_worst_first(list(selectors.monitor_list_for_problem(problem)))
    return render(
        request, "monitors/problem_panel.html", {"problem": problem, "monitors": monitors}
    )


def _monitor_form(
    problem: Problem, data: object = None, initial: dict | None = None
) -> MonitorForm:
    runs = ModelRun.objects.filter(problem=problem, status=RunStatus.READY).order_by("-created_at")
    return MonitorForm(
        data,
        initial=initial,
        runs=runs,
        versions=services.versions_for_drift(problem),
        task=problem.task_type,
    )


@require_http_methods(["GET", "POST"])
@team_required
def monitor_create(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    offered = monitor_templates(problem)
    chosen = next((t for t in offered if t["key"] == request.GET.get("template")), None)
    form = _monitor_form(problem, request.POST or None, chosen["initial"] if chosen else None)
    if request.method == "POST" and form.is_valid():
        try:
            monitor = services.monitor_create(
                problem=problem, user=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Monitor “{monitor.name}” saved and checked.")
            return redirect("monitors:monitor_detail", monitor_id=monitor.pk)
    context = {"problem": problem, "form": form, "templates": offered, "chosen": chosen}
    return render(
        request, "monitors/monitor_form.html", context, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@team_required
def monitor_edit(request: AppRequest, monitor_id: int) -> HttpResponse:
    monitor = _get_monitor_for_user(request, monitor_id, for_write=True)
    initial = {name: getattr(monitor, name) for name in services.MONITOR_FIELDS}
    initial["drift_columns"] = ", ".join(monitor.drift_columns)
    form = _monitor_form(monitor.problem, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitor_update(monitor=monitor, **form.service_fields())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Monitor “{monitor.name}” updated and checked again.")
            return redirect("monitors:monitor_detail", monitor_id=monitor.pk)
    context = {"problem": monitor.problem, "form": form, "monitor": monitor, "templates": []}
    return render(
        request, "monitors/monitor_form.html", context, status=422 if form.errors else 200
    )


def _history_context(monitor: Monitor) -> dict:
    checks = selectors.check_history(monitor)
    metric = METRICS.get(monitor.metric)
    label = (
        "Largest PSI" if monitor.kind == "drift" else (metric.label if metric else monitor.metric)
    )
    rows = [
        {
            "at": c.created_at.isoformat(),
            "value": c.value,
            "state": c.state,
            "threshold_line": c.threshold_line,
            "warning_line": c.warning_line,
            "baseline_line": c.baseline_line,
            "sentence": c.sentence,
        }
        for c in checks
    ]
    chart = json.dumps(charts.history_figure(rows, metric_label=label)) if rows else None
    breaches = sum(c.state == "breach" for c in checks)
    return {"monitor": monitor, "checks": checks[::-1], "chart": chart, "breaches": breaches}


@require_GET
@team_required
def monitor_detail(request: AppRequest, monitor_id: int) -> HttpResponse:
    monitor = _get_monitor_for_user(request, monitor_id)
    context = _history_context(monitor)
    if monitor.kind == "break_even":
        latest = next(iter(context["checks"]), None)
        context["break_even"] = latest.details if latest else None
    if request.htmx and not request.htmx.boosted:
        return render(request, "monitors/monitor_detail.html#monitor-history", context)
    return render(request, "monitors/monitor_detail.html", context)


@require_POST
@team_required
def monitor_check_now(request: AppRequest, monitor_id: int) -> HttpResponse:
    monitor = _get_monitor_for_user(request, monitor_id, for_write=True)
    check = services.monitor_check(monitor_id=monitor.pk, trigger="manual")
    if check is not None:
        messages.info(request, f"Checked: {check.get_state_display()}. {check.sentence}")
    return redirect("monitors:monitor_detail", monitor_id=monitor.pk)


@require_http_methods(["GET", "POST"])
@team_required
def batch_upload(request: AppRequest, monitor_id: int) -> HttpResponse:
    monitor = _get_monitor_for_user(request, monitor_id, for_write=True)
    form = BatchUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if getattr(request, TOO_LARGE_ATTRIBUTE, False):
            form.add_error("file", upload_too_large_message())
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                job = services.batch_upload_start(
                    run=monitor.target_run, user=request.user, uploaded=data.pop("file"), **data
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if request.htmx:
                    return render(
                        request, "monitors/batch_upload.html#upload-started", {"job": job}
                    )
                return redirect("core:job_detail", job_id=job.pk)
    context = {"monitor": monitor, "form": form}
    if request.htmx and request.method == "POST":
        return render(request, "monitors/batch_upload.html#upload-form", context, status=422)
    return render(
        request, "monitors/batch_upload.html", context, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@team_required
def channel_list(request: AppRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can_write:
            return HttpResponse("Your role in this team is read-only.", status=403)
        if form.is_valid():
            try:
                channel = notifications.channel_create(team=request.team, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Channel “{channel.name}” added.")
                return redirect("monitors:channel_list")
    channels = selectors.channel_list_for_team(request.team)
    status = 422 if form.errors else 200
    return render(
        request, "monitors/channel_list.html", {"form": form, "channels": channels}, status=status
    )


@require_POST
@write_required
def channel_test(request: AppRequest, channel_id: int) -> HttpResponse:
    channel = get_for_user_or_404(
        Channel.objects.select_related("team"), request.user, for_write=True, pk=channel_id
    )
    notification = notifications.channel_test(channel=channel)
    notification.refresh_from_db()
    messages.info(
        request, f"Test to “{channel.name}”: {notification.get_status_display().lower()}."
    )
    return redirect("monitors:notification_list")


@require_GET
@team_required
def notification_list(request: AppRequest) -> HttpResponse:
    rows = selectors.notification_list_for_team(request.team)
    if request.htmx and not request.htmx.boosted:
        return render(
            request, "monitors/notification_list.html#notification-table", {"notifications": rows}
        )
    return render(request, "monitors/notification_list.html", {"notifications": rows})
