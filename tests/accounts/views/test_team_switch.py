"""accounts:team_switch — choose which of your teams the pages show."""

import pytest
from django.test import Client

from apps.accounts.middleware import SESSION_TEAM_KEY
from apps.accounts.models import Role, Team, User
from apps.accounts.services import membership_set


@pytest.fixture
def owner_in_both(owner: User, other_team: Team) -> User:
    membership_set(team=other_team, user=owner, role=Role.VIEWER)
    return owner


def test_a_member_switches_team_and_the_dashboard_shows_it(
    owner_client: Client, owner_in_both: User, other_team: Team
) -> None:
    before = owner_client.get("/").content.decode()
    assert '<div class="page-pretitle">Fraud squad</div>' in before

    response = owner_client.post("/accounts/team/switch/", {"team": "other"})

    assert response.status_code == 302
    assert response.url == "/"
    assert owner_client.session[SESSION_TEAM_KEY] == other_team.pk
    after = owner_client.get("/").content.decode()
    assert '<div class="page-pretitle">Other team</div>' in after
    assert "Switched to Other team." in after
    # The role follows the team: a viewer there, so no self-check button.
    assert 'id="start-selfcheck"' not in after


def test_switching_returns_to_a_local_next_url(owner_client: Client, owner_in_both: User) -> None:
    response = owner_client.post("/accounts/team/switch/", {"team": "other", "next": "/jobs/"})
    assert response.url == "/jobs/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/jobs/"])
def test_an_external_next_url_is_ignored(
    owner_client: Client, owner_in_both: User, next_url: str
) -> None:
    response = owner_client.post("/accounts/team/switch/", {"team": "other", "next": next_url})
    assert response.status_code == 302
    assert response.url == "/"


def test_switching_to_a_team_you_are_not_in_is_404(
    owner_client: Client, owner: User, other_team: Team
) -> None:
    response = owner_client.post("/accounts/team/switch/", {"team": "other"})
    assert response.status_code == 404
    assert SESSION_TEAM_KEY not in owner_client.session


def test_switching_to_an_unknown_team_is_404(owner_client: Client) -> None:
    assert owner_client.post("/accounts/team/switch/", {"team": "nope"}).status_code == 404


def test_a_stale_session_team_falls_back_to_a_team_you_are_in(
    owner_client: Client, owner_in_both: User, other_team: Team
) -> None:
    owner_client.post("/accounts/team/switch/", {"team": "other"})
    other_team.memberships.filter(user=owner_in_both).delete()
    body = owner_client.get("/").content.decode()
    assert '<div class="page-pretitle">Fraud squad</div>' in body


def test_anonymous_is_sent_to_login(client: Client, other_team: Team) -> None:
    response = client.post("/accounts/team/switch/", {"team": "other"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_get_is_not_allowed(owner_client: Client) -> None:
    assert owner_client.get("/accounts/team/switch/").status_code == 405
