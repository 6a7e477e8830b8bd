"""accounts:team_detail — the current team's members and their roles."""

from django.test import Client

from apps.accounts.models import User


def test_members_see_everyone_in_their_team_with_roles(
    viewer_client: Client, owner: User, teammate: User, outsider: User
) -> None:
    response = viewer_client.get("/accounts/team/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fraud squad" in body
    for username in ("olivia", "tariq", "vera"):
        assert username in body
    assert "Data scientist" in body
    assert "oscar" not in body
    assert "3 members" in body


def test_outsider_sees_only_their_own_team(outsider_client: Client, owner: User) -> None:
    body = outsider_client.get("/accounts/team/").content.decode()
    assert "Other team" in body
    assert "olivia" not in body


def test_a_user_without_a_team_is_told_to_ask_an_owner(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("loner", password="x"))
    response = client.get("/accounts/team/")
    assert response.status_code == 403
    assert "not in a team yet" in response.content.decode()


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/accounts/team/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/team/"
