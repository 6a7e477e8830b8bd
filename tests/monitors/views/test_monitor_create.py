"""monitors:monitor_create — the form with templates, valid and invalid POST, roles."""

from django.test import Client

from apps.monitors.models import Monitor
from apps.problems.models import Problem
from apps.runs.models import ModelRun


def url(problem: Problem) -> str:
    return f"/monitors/problems/{problem.pk}/new/"


def test_owner_sees_the_templates_for_a_problem_with_costs(
    owner_client: Client, problem: Problem, deployed_run: ModelRun
) -> None:
    body = owner_client.get(url(problem)).content.decode()
    assert 'id="template-value_floor"' in body
    assert 'id="template-primary"' in body
    body = owner_client.get(url(problem) + "?template=value_floor").content.decode()
    assert 'value="break_even" selected' in body
    assert "Value floor (break-even accuracy)" in body


def test_valid_post_creates_and_checks_the_monitor(
    teammate_client: Client,
    problem: Problem,
    deployed_run: ModelRun,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    data = {
        "name": "AUC floor",
        "kind": "threshold",
        "target_run": deployed_run.pk,
        "metric": "roc_auc",
        "threshold": "0.8",
        "mode": "superiority",
        "psi_warn": "0.1",
        "psi_drift": "0.25",
        "p_value": "0.01",
        "check_interval_minutes": "30",
        "active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = teammate_client.post(url(problem), data)
    monitor = Monitor.objects.get()
    assert response.status_code == 302
    assert response.url == f"/monitors/{monitor.pk}/"
    assert monitor.checks.count() == 1
    assert monitor.check_interval_minutes == 30


def test_invalid_post_shows_the_field_error_and_stores_nothing(
    owner_client: Client, problem: Problem, deployed_run: ModelRun
) -> None:
    data = {
        "name": "AUC floor",
        "kind": "threshold",
        "target_run": deployed_run.pk,
        "metric": "roc_auc",
        "threshold": "0.8",
        "warning_band": "-0.2",
        "mode": "superiority",
        "psi_warn": "0.1",
        "psi_drift": "0.25",
        "p_value": "0.01",
        "check_interval_minutes": "60",
    }
    response = owner_client.post(url(problem), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="field-warning_band"' in body
    assert "Warning_band must be ≥ 0" in body or "must be ≥ 0" in body
    assert not Monitor.objects.exists()


def test_viewer_is_refused_and_outsider_gets_404(
    viewer_client: Client, outsider_client: Client, problem: Problem
) -> None:
    assert viewer_client.get(url(problem)).status_code == 403
    assert outsider_client.get(url(problem)).status_code == 404
