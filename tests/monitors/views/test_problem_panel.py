"""The monitors card on a problem page: worst first, links, and scoping."""

from django.test import Client

from apps.problems.models import Problem


def test_the_panel_lists_the_problems_monitors_or_explains_them(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.get(f"/monitors/problems/{problem.pk}/panel/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="card mb-3" id="problem-monitors">')
    assert "No monitors yet" in body
    assert 'id="panel-new-monitor"' in body


def test_outsiders_get_404_and_viewers_no_create_button(
    outsider_client: Client, viewer_client: Client, problem: Problem
) -> None:
    assert outsider_client.get(f"/monitors/problems/{problem.pk}/panel/").status_code == 404
    body = viewer_client.get(f"/monitors/problems/{problem.pk}/panel/").content.decode()
    assert 'id="panel-new-monitor"' not in body
