"""BearerTokenAuth: writes need a read-write token and a role that may write.

There is no write route yet, so the guard is exercised directly with request objects.
"""

import hashlib

import pytest
from django.test import RequestFactory
from ninja.errors import HttpError

from apps.accounts import services
from apps.accounts.auth import BearerTokenAuth
from apps.accounts.models import ApiToken, Team, User

auth = BearerTokenAuth()
rf = RequestFactory()


def mint(user: User, team: Team, *, read_only: bool) -> str:
    return services.api_token_create(user=user, team=team, name="t", read_only=read_only).plaintext


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_a_read_only_token_may_not_write(owner: User, team: Team, method: str) -> None:
    token = mint(owner, team, read_only=True)
    with pytest.raises(HttpError) as caught:
        auth.authenticate(getattr(rf, method)("/api/v1/anything"), token)
    assert caught.value.status_code == 403
    assert "read-only" in str(caught.value)


def test_a_viewer_s_read_write_token_may_not_write(viewer: User, team: Team) -> None:
    # The service refuses to mint this; a token created some other way must still not write.
    plaintext = "pft_viewer0001_" + "s" * 43
    ApiToken.objects.create(
        team=team,
        user=viewer,
        name="legacy",
        prefix="viewer0001",
        token_hash=hashlib.sha256(plaintext.encode()).hexdigest(),
        read_only=False,
    )
    assert auth.authenticate(rf.get("/api/v1/me"), plaintext) is not None
    with pytest.raises(HttpError) as caught:
        auth.authenticate(rf.post("/api/v1/anything"), plaintext)
    assert caught.value.status_code == 403
    assert "role" in str(caught.value)


def test_a_read_write_token_of_a_writer_may_write(teammate: User, team: Team) -> None:
    request = rf.post("/api/v1/anything")
    token = auth.authenticate(request, mint(teammate, team, read_only=False))
    assert token.user == teammate
    assert request.user == teammate


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_only_token_may_read(owner: User, team: Team, method: str) -> None:
    request = getattr(rf, method)("/api/v1/me")
    assert auth.authenticate(request, mint(owner, team, read_only=True)).team == team


def test_an_unknown_token_is_not_authenticated(db: None) -> None:
    assert auth.authenticate(rf.post("/api/v1/anything"), "pft_nope_nope") is None
