"""monitors:monitor_detail — the history chart (threshold, band, breaches) and check table."""

import html
import json

from django.test import Client

from apps.monitors.models import Monitor


def url(monitor: Monitor) -> str:
    return f"/monitors/{monitor.pk}/"


def test_owner_sees_the_chart_with_the_breach_marked_red(
    owner_client: Client,
    make_monitor,
    add_batch,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9, warning_band=0.05)
    add_batch(quality=0.05)
    response = owner_client.get(url(monitor))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="history-chart"' in body
    assert 'data-breaches="1"' in body
    chart = json.loads(html.unescape(body.split("data-plotly='", 1)[1].split("'", 1)[0]))
    names = [trace.get("name") for trace in chart["data"]]
    assert {"Warning band", "Threshold", "ROC AUC"} <= set(names)
    values = next(t for t in chart["data"] if t.get("name") == "ROC AUC")
    assert values["marker"]["color"][-1] == "#d63939"
    assert "is below the threshold 0.9" in body


def test_teammate_and_viewer_see_it_viewer_without_write_buttons(
    teammate_client: Client,
    viewer_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    assert 'id="check-now"' in teammate_client.get(url(monitor)).content.decode()
    response = viewer_client.get(url(monitor))
    assert response.status_code == 200
    assert 'id="check-now"' not in response.content.decode()


def test_htmx_gets_only_the_history_partial(owner_client: Client, make_monitor) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.5)
    body = owner_client.get(url(monitor), headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="monitor-history"')
    assert "<html" not in body


def test_break_even_page_says_what_the_level_is_and_why(
    owner_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(name="Value floor", kind="break_even", metric="accuracy")
    body = owner_client.get(url(monitor)).content.decode()
    assert 'id="break-even-explanation"' in body
    assert "costs as much per decision as the fallback" in body


def test_check_now_writes_a_check_and_viewer_may_not(
    owner_client: Client,
    viewer_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    before = monitor.checks.count()
    response = owner_client.post(f"/monitors/{monitor.pk}/check/")
    assert response.status_code == 302
    assert monitor.checks.count() == before + 1
    assert viewer_client.post(f"/monitors/{monitor.pk}/check/").status_code == 403
    assert monitor.checks.count() == before + 1


def test_outsider_gets_404(outsider_client: Client, make_monitor) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.5)
    assert outsider_client.get(url(monitor)).status_code == 404
    assert outsider_client.post(f"/monitors/{monitor.pk}/check/").status_code == 404


def test_query_count_does_not_grow_with_the_history(
    owner_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.monitors.models import Check

    monitor = make_monitor(threshold=0.5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get(url(monitor)).status_code == 200
        return len(captured)

    small = queries()
    Check.objects.bulk_create(
        Check(monitor=monitor, trigger="schedule", state="ok", value=0.6) for _ in range(300)
    )
    assert queries() == small
