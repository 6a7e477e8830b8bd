"""Dataset pages: the team's versions, upload, a version's profile, download, drift."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import team_required
from apps.accounts.http import AppRequest
from apps.core.charts import figure_json
from apps.core.scoping import get_for_user_or_404
from apps.datasets import charts, selectors, services, storage
from apps.datasets.forms import DatasetUploadForm, DriftForm
from apps.datasets.models import DatasetVersion, DriftComparison, VersionStatus
from apps.datasets.uploads import TOO_LARGE_ATTRIBUTE, upload_too_large_message
from apps.problems.models import Problem
from mlcore.drift_rules import DriftRule, classify_drift


def _get_problem_for_user(
    request: AppRequest, problem_id: int, *, for_write: bool = False
) -> Problem:
    return get_for_user_or_404(
        Problem.objects.select_related("team"), request.user, for_write=for_write, pk=problem_id
    )


def _get_version_for_user(
    request: AppRequest, version_id: int, *, for_write: bool = False
) -> DatasetVersion:
    return get_for_user_or_404(
        DatasetVersion.objects.select_related("dataset__problem__team", "uploaded_by", "job"),
        request.user,
        team_field="dataset__problem__team",
        for_write=for_write,
        pk=version_id,
    )


@require_GET
@team_required
def dataset_list(request: AppRequest) -> HttpResponse:
    versions = selectors.version_list_for_team(request.team)
    problems = Problem.objects.filter(team=request.team).order_by("title")
    return render(
        request, "datasets/dataset_list.html", {"versions": versions, "problems": problems}
    )


@require_http_methods(["GET", "POST"])
@team_required
def dataset_upload(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=True)
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if getattr(request, TOO_LARGE_ATTRIBUTE, False):
            form.add_error("file", upload_too_large_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                job = services.dataset_upload_start(
                    problem=problem,
                    user=request.user,
                    name=data["name"],
                    role=data["role"],
                    uploaded=data["file"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    description=data["description"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if request.htmx:
                    return render(
                        request,
                        "datasets/dataset_upload.html#upload-started",
                        {"job": job, "problem": problem},
                    )
                return redirect("core:job_detail", job_id=job.pk)
    existing = sorted({v.dataset.name for v in selectors.version_list_for_problem(problem)})
    context = {"problem": problem, "form": form, "existing_names": existing}
    status = 422 if form.errors and not request.htmx else 200
    if request.htmx and request.method == "POST":
        return render(request, "datasets/dataset_upload.html#upload-form", context)
    return render(request, "datasets/dataset_upload.html", context, status=status)


def _profile_context(version: DatasetVersion) -> dict:
    profile = version.profile or {}
    columns = profile.get("column_profiles", [])
    column_charts = {}
    for column in columns:
        figure = charts.column_figure(column)
        if figure is not None:
            column_charts[column["name"]] = figure_json(figure)
    context = {
        "columns": [(column, column_charts.get(column["name"])) for column in columns],
        "missing_chart": (
            figure_json(charts.missingness_figure(columns))
            if any(c["missing"] for c in columns)
            else None
        ),
        "serious_warnings": [w for w in version.titled_warnings if w["severity"] != "info"],
        "notes": [w for w in version.titled_warnings if w["severity"] == "info"],
        "balance_chart": None,
    }
    if profile.get("target_balance"):
        context["balance_chart"] = figure_json(
            charts.target_balance_figure(profile["target_balance"])
        )
    return context


@require_GET
@team_required
def version_detail(request: AppRequest, version_id: int) -> HttpResponse:
    version = _get_version_for_user(request, version_id)
    context = {
        "version": version,
        "problem": version.dataset.problem,
        "siblings": selectors.version_siblings(version),
    }
    if version.status == VersionStatus.READY:
        context.update(_profile_context(version))
    if request.htmx and not request.htmx.boosted:
        response = render(request, "datasets/version_detail.html#version-status", context)
        if version.status != VersionStatus.PROFILING:
            response["HX-Refresh"] = "true"  # the profile is ready: load the full page once
        return response
    return render(request, "datasets/version_detail.html", context)


@require_GET
@team_required
def version_download(request: AppRequest, version_id: int) -> FileResponse:
    version = _get_version_for_user(request, version_id)
    handle = storage.dataset_storage().open(version.storage_key, "rb")
    stem = version.original_filename.rsplit(".", 1)[0] or version.dataset.name
    return FileResponse(handle, as_attachment=True, filename=f"{stem}-v{version.number}.parquet")


@require_POST
@team_required
def version_reprofile(request: AppRequest, version_id: int) -> HttpResponse:
    version = _get_version_for_user(request, version_id, for_write=True)
    services.dataset_version_reprofile_start(version=version, user=request.user)
    messages.info(request, "Profiling again; the page updates when it is done.")
    return redirect("datasets:version_detail", version_id=version.pk)


def _drift_rule(request: AppRequest) -> DriftRule:
    def number(name: str, default: float) -> float:
        try:
            value = float(request.GET.get(name, default))
        except ValueError:
            return default
        return value if value >= 0 else default

    return DriftRule(
        psi_warn=number("psi_warn", 0.1),
        psi_drift=number("psi_drift", 0.25),
        p_value=number("p_value", 0.01),
    )


def _drift_rows(comparison: DriftComparison, rule: DriftRule) -> tuple[list[dict], float]:
    order = {"drift": 0, "warn": 1, "ok": 2}
    rows = []
    for column in comparison.report["columns"]:
        p_value = (
            column.get("ks_pvalue")
            if column.get("ks_pvalue") is not None
            else column.get("chi2_pvalue")
        )
        status, reason = classify_drift(column.get("psi"), p_value, rule)
        rows.append({**column, "status": status, "reason": reason, "p_value": p_value})
    rows.sort(key=lambda r: (order[r["status"]], -(r.get("psi") or 0)))
    drifted = sum(1 for r in rows if r["status"] == "drift")
    return rows, (drifted / len(rows) if rows else 0.0)


@require_http_methods(["GET", "POST"])
@team_required
def drift_compare(request: AppRequest, problem_id: int) -> HttpResponse:
    problem = _get_problem_for_user(request, problem_id, for_write=request.method == "POST")
    versions = selectors.version_list_for_problem(problem)
    form = DriftForm(request.POST or request.GET or None, versions=versions)
    context: dict = {"problem": problem, "form": form, "rule": _drift_rule(request)}
    if request.method == "POST" and form.is_valid():
        try:
            job = services.drift_compare_start(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("current", exc.message_dict.get("current", exc.messages))
        else:
            ref, cur = form.cleaned_data["reference"], form.cleaned_data["current"]
            return redirect(f"{request.path}?reference={ref.pk}&current={cur.pk}&job={job.pk}")
    if form.is_bound and form.is_valid():
        ref, cur = form.cleaned_data["reference"], form.cleaned_data["current"]
        comparison = DriftComparison.objects.filter(reference=ref, current=cur).first()
        context.update({"reference": ref, "current": cur, "comparison": comparison})
        if comparison and comparison.report:
            rows, share = _drift_rows(comparison, context["rule"])
            context.update({"rows": rows, "drifted_share": share})
            column = request.GET.get("column") or (rows[0]["column"] if rows else None)
            if column:
                context["chart_column"] = column
                context["overlay_chart"] = _overlay_chart(ref, cur, column)
        job_id = request.GET.get("job")
        if job_id:
            from apps.core.models import Job

            context["job"] = Job.objects.filter(pk=job_id, team=problem.team).first()
    if request.htmx and not request.htmx.boosted and "job" in context:
        return render(request, "datasets/drift_compare.html#drift-results", context)
    return render(request, "datasets/drift_compare.html", context)


def _overlay_chart(reference: DatasetVersion, current: DatasetVersion, column: str) -> str | None:
    from mlcore.drift import overlaid_distribution

    names = {c["name"] for c in reference.schema} & {c["name"] for c in current.schema}
    if column not in names:
        return None
    ref = storage.read_parquet(reference.storage_key, columns=[column])[column]
    cur = storage.read_parquet(current.storage_key, columns=[column])[column]
    distribution = overlaid_distribution(ref, cur)
    return figure_json(charts.overlaid_figure(distribution, f"{reference}", f"{current}"))


@require_GET
@team_required
def problem_panel(request: AppRequest, problem_id: int) -> HttpResponse:
    """The datasets card on a problem page (loaded lazily: problems cannot import datasets)."""
    problem = _get_problem_for_user(request, problem_id)
    versions = selectors.version_list_for_problem(problem)
    return render(
        request, "datasets/problem_panel.html", {"problem": problem, "versions": versions}
    )
