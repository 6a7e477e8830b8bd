"""Admin pages for teams and API tokens; the token admin never shows or takes the hash."""

from django.test import Client

from apps.accounts import services
from apps.accounts.models import Team, User


def test_team_admin_pages_load(admin_client: Client, team: Team, owner: User) -> None:
    listing = admin_client.get("/admin/accounts/team/")
    assert listing.status_code == 200
    assert "Fraud squad" in listing.content.decode()
    change = admin_client.get(f"/admin/accounts/team/{team.pk}/change/")
    assert change.status_code == 200
    assert "olivia" in change.content.decode()
    assert admin_client.get("/admin/accounts/team/add/").status_code == 200


def test_api_token_admin_pages_load_without_exposing_the_hash(
    admin_client: Client, owner: User, team: Team
) -> None:
    issued = services.api_token_create(user=owner, team=team, name="Admin view", read_only=True)

    listing = admin_client.get("/admin/accounts/apitoken/")
    change = admin_client.get(f"/admin/accounts/apitoken/{issued.token.pk}/change/")
    # Tokens are minted only where the plaintext can be shown once (UI, command).
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403

    for response in (listing, change):
        body = response.content.decode()
        assert response.status_code == 200
        assert "token_hash" not in body
        assert issued.token.token_hash not in body
        assert issued.plaintext not in body
    assert issued.token.prefix in change.content.decode()
    assert "token_hash" not in change.context["adminform"].form.fields
