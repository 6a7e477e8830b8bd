"""monitors:monitor_list and monitors:problem_monitors — worst first, htmx partial, scoping."""

from django.test import Client

from apps.problems.models import Problem


def test_lists_breaches_first(owner_client: Client, make_monitor, add_batch) -> None:  # noqa: ANN001
    calm = make_monitor(name="A calm one", threshold=0.1)
    broken = make_monitor(name="Z broken", threshold=0.9)
    add_batch(quality=0.05)
    body = owner_client.get("/monitors/").content.decode()
    assert body.index(f'id="monitor-row-{broken.pk}"') < body.index(f'id="monitor-row-{calm.pk}"')
    assert 'id="new-monitor"' in body


def test_problem_list_full_page_and_htmx_partial(
    teammate_client: Client,
    problem: Problem,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    body = teammate_client.get(f"/monitors/problems/{problem.pk}/").content.decode()
    assert f'id="monitor-row-{monitor.pk}"' in body
    partial = teammate_client.get(
        f"/monitors/problems/{problem.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<div class="card" id="monitor-table"')


def test_viewer_sees_no_create_button(viewer_client: Client, make_monitor) -> None:  # noqa: ANN001
    make_monitor(threshold=0.5)
    response = viewer_client.get("/monitors/")
    assert response.status_code == 200
    assert 'id="new-monitor"' not in response.content.decode()


def test_outsider_sees_nothing_and_gets_404_on_the_problem(
    outsider_client: Client,
    problem: Problem,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.5)
    assert f"monitor-row-{monitor.pk}" not in outsider_client.get("/monitors/").content.decode()
    assert outsider_client.get(f"/monitors/problems/{problem.pk}/").status_code == 404


def test_query_count_does_not_grow_with_monitors(
    owner_client: Client,
    make_monitor,
    deployed_run,  # noqa: ANN001
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get("/monitors/").status_code == 200
        return len(captured)

    make_monitor(name="first", threshold=0.5, baseline_run=deployed_run)
    small = queries()
    for i in range(5):
        make_monitor(name=f"more {i}", threshold=0.5, baseline_run=deployed_run)
    assert queries() == small
