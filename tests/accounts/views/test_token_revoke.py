"""accounts:token_revoke — revoke a token: the API stops accepting it at once."""

import pytest
from django.test import Client

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User
from tests.conftest import api_client


@pytest.fixture
def owner_issued(owner: User, team: Team) -> services.IssuedToken:
    return services.api_token_create(user=owner, team=team, name="Owner CI", read_only=False)


@pytest.fixture
def teammate_issued(teammate: User, team: Team) -> services.IssuedToken:
    return services.api_token_create(user=teammate, team=team, name="Tariq CI", read_only=False)


def revoke_url(issued: services.IssuedToken) -> str:
    return f"/accounts/tokens/{issued.token.pk}/revoke/"


def test_revoking_my_token_makes_the_api_answer_401(
    owner_client: Client, owner_issued: services.IssuedToken
) -> None:
    api = api_client(owner_issued.plaintext)
    assert api.get("/api/v1/me").status_code == 200

    response = owner_client.post(revoke_url(owner_issued))

    assert response.status_code == 302
    assert response.url == "/accounts/tokens/"
    assert ApiToken.objects.get().revoked_at is not None
    assert api.get("/api/v1/me").status_code == 401
    page = owner_client.get("/accounts/tokens/").content.decode()
    assert "revoked: it no longer works" in page
    assert revoke_url(owner_issued) not in page


def test_revoking_twice_keeps_the_first_time(
    owner_client: Client, owner_issued: services.IssuedToken
) -> None:
    owner_client.post(revoke_url(owner_issued))
    first = ApiToken.objects.get().revoked_at
    owner_client.post(revoke_url(owner_issued))
    assert ApiToken.objects.get().revoked_at == first


def test_an_owner_may_revoke_a_teammate_s_token(
    owner_client: Client, teammate_issued: services.IssuedToken
) -> None:
    assert owner_client.post(revoke_url(teammate_issued)).status_code == 302
    assert api_client(teammate_issued.plaintext).get("/api/v1/me").status_code == 401


def test_a_non_owner_revoking_another_user_s_token_gets_404(
    teammate_client: Client, owner_issued: services.IssuedToken
) -> None:
    assert teammate_client.post(revoke_url(owner_issued)).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_outsider_gets_404(outsider_client: Client, owner_issued: services.IssuedToken) -> None:
    assert outsider_client.post(revoke_url(owner_issued)).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_unknown_token_is_404(owner_client: Client) -> None:
    assert owner_client.post("/accounts/tokens/999999/revoke/").status_code == 404


def test_anonymous_is_sent_to_login(client: Client, owner_issued: services.IssuedToken) -> None:
    response = client.post(revoke_url(owner_issued))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert ApiToken.objects.get().revoked_at is None


def test_get_is_not_allowed(owner_client: Client, owner_issued: services.IssuedToken) -> None:
    assert owner_client.get(revoke_url(owner_issued)).status_code == 405
    assert ApiToken.objects.get().revoked_at is None
