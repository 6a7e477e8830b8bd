from django.test import Client

from apps.accounts.models import User
from apps.problems import services
from apps.problems.models import Problem


def test_history_shows_web_and_api_changes_with_authors_and_a_diff(
    owner_client: Client, problem: Problem, owner: User, teammate: User
) -> None:
    owner_client.post(
        f"/problems/{problem.pk}/edit/decision/",
        {"decision": "Hold the payment", "affected_users": "Card holders"},
    )
    services.problem_update(
        problem=problem,
        user=teammate,
        source="api",
        changes={"decision": "Hold the payment for review"},
    )
    body = owner_client.get(f"/problems/{problem.pk}/history/").content.decode()
    rows = body.split('id="revision-table"')[1]
    assert "tariq" in rows
    assert "olivia" in rows
    assert ">API<" in rows
    assert ">Web<" in rows
    assert '<span class="pf-diff-added">for review</span>' in rows
