"""GET /api/v1/me and bearer-token authentication failures."""

import pytest
from django.test import Client

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User
from tests.conftest import api_client


def assert_401(response: object) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]
    assert body["errors"] == []


def test_me_returns_the_token_s_user_team_and_role(owner_api: Client, team: Team) -> None:
    response = owner_api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "olivia",
        "full_name": "",
        "team": {"id": team.pk, "slug": "fraud", "name": "Fraud squad"},
        "role": "owner",
        "token_name": "test",
        "token_read_only": False,
    }


def test_me_reports_a_viewer_s_read_only_token(viewer: User, team: Team) -> None:
    plaintext = services.api_token_create(
        user=viewer, team=team, name="Reader", read_only=True
    ).plaintext
    body = api_client(plaintext).get("/api/v1/me").json()
    assert (body["username"], body["role"], body["token_read_only"]) == ("vera", "viewer", True)


def test_a_successful_call_records_when_the_token_was_last_used(owner_api: Client) -> None:
    assert ApiToken.objects.get().last_used_at is None
    owner_api.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at is not None


def test_no_token_is_401(client: Client, db: None) -> None:
    assert_401(client.get("/api/v1/me"))


@pytest.mark.parametrize(
    "header",
    ["Bearer garbage", "Bearer pft_abcdefghij_notreal", "Token abc", "Bearer "],
)
def test_a_garbage_token_is_401(client: Client, owner_token: str, header: str) -> None:
    assert_401(client.get("/api/v1/me", headers={"Authorization": header}))


def test_a_revoked_token_is_401(owner_api: Client) -> None:
    services.api_token_revoke(token=ApiToken.objects.get())
    assert_401(owner_api.get("/api/v1/me"))


def test_a_session_login_does_not_authenticate_the_api(owner_client: Client) -> None:
    assert_401(owner_client.get("/api/v1/me"))
