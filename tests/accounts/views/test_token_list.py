"""accounts:token_list — list API tokens and create one (its plaintext shown once)."""

import hashlib

from django.test import Client

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User
from tests.conftest import api_client


def issue(user: User, team: Team, name: str, *, read_only: bool = False) -> str:
    return services.api_token_create(user=user, team=team, name=name, read_only=read_only).plaintext


def stored_columns(token: ApiToken) -> list[str]:
    fields = [f.attname for f in ApiToken._meta.concrete_fields]
    return [str(v) for v in ApiToken.objects.filter(pk=token.pk).values_list(*fields).get()]


def test_the_page_lists_my_tokens_without_their_secrets(
    teammate_client: Client, teammate: User, team: Team
) -> None:
    plaintext = issue(teammate, team, "CI upload")
    response = teammate_client.get("/accounts/tokens/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "CI upload" in body
    assert f"pft_{ApiToken.objects.get().prefix}_…" in body
    assert plaintext not in body


def test_creating_a_token_shows_the_plaintext_once_and_stores_only_its_hash(
    teammate_client: Client, teammate: User, team: Team
) -> None:
    response = teammate_client.post("/accounts/tokens/", {"name": "Nightly CI"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    token = ApiToken.objects.get()
    plaintext = response.context["new_token"].plaintext
    assert f'value="{plaintext}"' in body

    assert plaintext.startswith(f"pft_{token.prefix}_")
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    secret = plaintext.rsplit("_", 1)[1]
    for value in stored_columns(token):
        assert plaintext not in value
        assert secret not in value
    assert (token.name, token.user, token.team, token.read_only) == (
        "Nightly CI",
        teammate,
        team,
        False,
    )
    assert plaintext not in teammate_client.get("/accounts/tokens/").content.decode()
    assert api_client(plaintext).get("/api/v1/me").status_code == 200


def test_an_htmx_post_returns_only_the_token_panel(teammate_client: Client) -> None:
    response = teammate_client.post(
        "/accounts/tokens/",
        {"name": "From htmx", "read_only": "on"},
        headers={"HX-Request": "true", "HX-Target": "token-panel"},
    )
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div id="token-panel"')
    assert "<html" not in body
    assert 'id="new-token-value"' in body
    assert ApiToken.objects.get().read_only is True


def test_a_viewer_cannot_create_a_read_write_token(viewer_client: Client) -> None:
    response = viewer_client.post("/accounts/tokens/", {"name": "Sneaky"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Viewers can only create read-only tokens" in body
    assert 'id="new-token"' not in body
    assert not ApiToken.objects.exists()


def test_a_viewer_can_create_a_read_only_token(viewer_client: Client) -> None:
    response = viewer_client.post("/accounts/tokens/", {"name": "Reader", "read_only": "on"})
    assert 'id="new-token"' in response.content.decode()
    assert ApiToken.objects.get().read_only is True


def test_a_token_needs_a_name(teammate_client: Client) -> None:
    response = teammate_client.post("/accounts/tokens/", {"name": ""})
    body = response.content.decode()
    assert "is-invalid" in body
    assert "This field is required." in body
    assert not ApiToken.objects.exists()


def test_an_owner_sees_every_teammate_s_tokens(
    owner_client: Client, owner: User, teammate: User, viewer: User, team: Team
) -> None:
    issue(owner, team, "Owner token")
    issue(teammate, team, "Teammate token")
    issue(viewer, team, "Viewer token", read_only=True)
    body = owner_client.get("/accounts/tokens/").content.decode()
    for name in ("Owner token", "Teammate token", "Viewer token"):
        assert name in body


def test_others_see_only_their_own_tokens(
    teammate_client: Client, owner: User, teammate: User, team: Team
) -> None:
    issue(owner, team, "Owner token")
    issue(teammate, team, "Teammate token")
    body = teammate_client.get("/accounts/tokens/").content.decode()
    assert "Teammate token" in body
    assert "Owner token" not in body


def test_an_outsider_sees_none_of_another_team_s_tokens(
    outsider_client: Client, owner: User, team: Team
) -> None:
    issue(owner, team, "Owner token")
    body = outsider_client.get("/accounts/tokens/").content.decode()
    assert "Owner token" not in body
    assert "No tokens yet" in body


def test_anonymous_is_sent_to_login(client: Client) -> None:
    for response in (
        client.get("/accounts/tokens/"),
        client.post("/accounts/tokens/", {"name": "x"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
