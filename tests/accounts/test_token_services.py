"""API token services: minting, authenticating, revoking."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User


def test_a_token_is_scheme_prefix_secret_and_only_the_hash_is_kept(owner: User, team: Team) -> None:
    issued = services.api_token_create(user=owner, team=team, name="  ", read_only=False)
    scheme, prefix, secret = issued.plaintext.split("_", 2)
    token = ApiToken.objects.get()
    assert (scheme, prefix) == ("pft", token.prefix)
    assert len(secret) >= 40
    assert token.token_hash == hashlib.sha256(issued.plaintext.encode()).hexdigest()
    assert token.name == "API token"


def test_an_outsider_cannot_mint_a_token_for_a_team(outsider: User, team: Team) -> None:
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=outsider, team=team, name="x", read_only=True)


def test_a_viewer_may_mint_only_read_only_tokens(viewer: User, team: Team) -> None:
    with pytest.raises(ValidationError, match="read-only"):
        services.api_token_create(user=viewer, team=team, name="x", read_only=False)
    assert services.api_token_create(user=viewer, team=team, name="x", read_only=True)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.replace("pft_", "xyz_", 1),
        lambda t: t.split("_", 2)[2],
        lambda t: "",
    ],
    ids=["wrong-secret", "wrong-scheme", "secret-only", "empty"],
)
def test_a_mangled_token_does_not_authenticate(owner_token: str, mangle: object) -> None:
    assert services.api_token_authenticate(mangle(owner_token)) is None


def test_a_token_stops_working_when_its_user_leaves_the_team_or_is_deactivated(
    owner: User, team: Team, owner_token: str
) -> None:
    assert services.api_token_authenticate(owner_token) is not None
    owner.is_active = False
    owner.save()
    assert services.api_token_authenticate(owner_token) is None
    owner.is_active = True
    owner.save()
    team.memberships.filter(user=owner).delete()
    assert services.api_token_authenticate(owner_token) is None


def test_last_used_is_written_at_most_once_a_minute(owner_token: str) -> None:
    first = services.api_token_authenticate(owner_token).last_used_at
    assert first is not None
    assert services.api_token_authenticate(owner_token).last_used_at == first

    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.update(last_used_at=an_hour_ago)
    assert services.api_token_authenticate(owner_token).last_used_at > an_hour_ago
