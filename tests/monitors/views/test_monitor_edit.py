"""monitors:monitor_edit — change a rule, invalid change, roles."""

from django.test import Client

from apps.monitors.models import Monitor


def form_data(monitor: Monitor, **changes: object) -> dict:
    data = {
        "name": monitor.name,
        "kind": monitor.kind,
        "target_run": monitor.target_run_id,
        "metric": monitor.metric,
        "threshold": monitor.threshold,
        "mode": monitor.mode,
        "psi_warn": 0.1,
        "psi_drift": 0.25,
        "p_value": 0.01,
        "check_interval_minutes": 60,
        "active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_owner_sees_the_form_filled_in(owner_client: Client, make_monitor) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.5)
    body = owner_client.get(f"/monitors/{monitor.pk}/edit/").content.decode()
    assert 'value="0.5"' in body
    assert 'id="monitor-templates"' not in body


def test_a_stricter_threshold_is_checked_again(
    teammate_client: Client,
    make_monitor,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        response = teammate_client.post(
            f"/monitors/{monitor.pk}/edit/", form_data(monitor, threshold=1.1)
        )
    assert response.status_code == 302
    monitor.refresh_from_db()
    assert monitor.threshold == 1.1
    assert monitor.state == "breach"
    assert monitor.checks.count() == 2


def test_invalid_change_is_422_and_keeps_the_old_rule(
    owner_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    response = owner_client.post(
        f"/monitors/{monitor.pk}/edit/", form_data(monitor, metric="", threshold=0.7)
    )
    assert response.status_code == 422
    monitor.refresh_from_db()
    assert monitor.threshold == 0.5


def test_viewer_403_outsider_404(
    viewer_client: Client,
    outsider_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    assert viewer_client.get(f"/monitors/{monitor.pk}/edit/").status_code == 403
    assert outsider_client.get(f"/monitors/{monitor.pk}/edit/").status_code == 404


def test_unticking_active_pauses_the_monitor(
    owner_client: Client,
    make_monitor,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    data = form_data(monitor)
    del data["active"]
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/monitors/{monitor.pk}/edit/", data)
    monitor.refresh_from_db()
    assert monitor.active is False
