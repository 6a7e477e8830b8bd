"""Background job pages: list, detail with a live progress bar, cancel, start a self-check."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.decorators import team_required, write_required
from apps.accounts.http import AppRequest
from apps.core import charts, selectors, services
from apps.core.models import Job
from apps.core.scoping import get_for_user_or_404
from apps.core.tasks import SELFCHECK_KIND


def _get_job_for_user(request: AppRequest, job_id: str, *, for_write: bool = False) -> Job:
    return get_for_user_or_404(
        Job.objects.select_related("created_by"), request.user, for_write=for_write, pk=job_id
    )


@require_GET
@team_required
def job_list(request: AppRequest) -> HttpResponse:
    jobs = selectors.job_list_for_team(request.team)
    return render(request, "core/job_list.html", {"jobs": jobs})


@require_GET
@team_required
def job_detail(request: AppRequest, job_id: str) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    context = {"job": job}
    if job.kind == SELFCHECK_KIND and job.result:
        context["folds_chart"] = charts.figure_json(charts.selfcheck_folds_figure(job.result))
    if request.htmx and not request.htmx.boosted:
        partial = "job-row" if (request.htmx.target or "").startswith("job-row") else "job-status"
        response = render(request, f"core/job_detail.html#{partial}", context)
        if job.is_finished:
            # 286 tells htmx to stop polling; the finished state is still swapped in.
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "core/job_detail.html", context)


@require_POST
@team_required
def job_cancel(request: AppRequest, job_id: str) -> HttpResponse:
    job = services.job_request_cancel(job=_get_job_for_user(request, job_id, for_write=True))
    messages.info(request, f"“{job.title}” is {job.get_status_display().lower()}.")
    return redirect("core:job_detail", job_id=job.pk)


@require_POST
@write_required
def selfcheck_start(request: AppRequest) -> HttpResponse:
    job = services.job_create(
        team=request.team,
        kind=SELFCHECK_KIND,
        title="Self-check: cross-validated AUC on the breast-cancer data",
        params={"pace_seconds": 0.4},
        user=request.user,
    )
    return redirect("core:job_detail", job_id=job.pk)
