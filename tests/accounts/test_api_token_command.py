"""`manage.py api_token`: create (prints only the token), list (never secrets), revoke."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User
from tests.conftest import api_client


def run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_only_a_working_token(owner: User, team: Team) -> None:
    output = run("create", "olivia", "fraud")
    lines = output.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("pft_")
    me = api_client(token).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["token_read_only"] is False
    assert ApiToken.objects.get().name == "Command-line token"


def test_create_read_only_with_a_name(owner: User, team: Team) -> None:
    token = run("create", "olivia", "fraud", "--read-only", "--name", "Dashboards").strip()
    me = api_client(token).get("/api/v1/me").json()
    assert me["token_read_only"] is True
    assert me["token_name"] == "Dashboards"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "nobody", "fraud"), "No user named “nobody”"),
        (("create", "olivia", "nope"), "No team with the slug “nope”"),
        (("create", "oscar", "fraud"), "not a member"),
        (("create", "vera", "fraud"), "Viewers can only create read-only tokens"),
        (("revoke", "zzzzzzzzzz"), "No token with the prefix “zzzzzzzzzz”"),
    ],
)
def test_errors_name_what_is_wrong(
    owner: User, viewer: User, outsider: User, args: tuple, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()


def test_list_shows_prefixes_and_state_but_never_secrets(
    owner: User, viewer: User, team: Team
) -> None:
    kept = services.api_token_create(user=owner, team=team, name="Kept", read_only=False)
    revoked = services.api_token_create(user=viewer, team=team, name="Gone", read_only=True)
    services.api_token_revoke(token=revoked.token)

    output = run("list", "fraud")

    assert f"{kept.token.prefix}\tolivia\tread-write\tKept" in output
    assert f"{revoked.token.prefix}\tvera\trevoked\tGone" in output
    for issued in (kept, revoked):
        assert issued.plaintext not in output
        assert issued.plaintext.rsplit("_", 1)[1] not in output
        assert issued.token.token_hash not in output


def test_revoke_by_prefix_makes_the_api_answer_401(owner: User, team: Team) -> None:
    token = run("create", "olivia", "fraud").strip()
    prefix = ApiToken.objects.get().prefix

    assert f"Revoked {prefix}" in run("revoke", prefix)
    assert api_client(token).get("/api/v1/me").status_code == 401
