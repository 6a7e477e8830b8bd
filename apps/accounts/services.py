"""Writes for users, teams, memberships and API tokens."""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import ApiToken, Membership, Role, Team, User

TOKEN_SCHEME = "pft"
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# Writing last_used_at on every call would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def team_create(*, name: str, owner: User, slug: str = "") -> Team:
    """Create a team with its creator as owner."""
    slug = slug or slugify(name)
    if not slug:
        raise ValidationError({"slug": "A team needs a name made of letters or digits."})
    if Team.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The team slug “{slug}” is taken."})
    with transaction.atomic():
        team = Team.objects.create(name=name, slug=slug)
        Membership.objects.create(user=owner, team=team, role=Role.OWNER)
    return team


def membership_set(*, team: Team, user: User, role: str) -> Membership:
    """Add a user to a team, or change their role there."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


def _hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_create(*, user: User, team: Team, name: str, read_only: bool) -> IssuedToken:
    """Mint a token for the user in one team; the plaintext is returned once, never stored."""
    membership = Membership.objects.filter(user=user, team=team).first()
    if membership is None:
        raise PermissionDenied(f"{user} is not a member of {team}.")
    if not read_only and not membership.can_write:
        raise ValidationError(
            {"read_only": "Viewers can only create read-only tokens: ask an owner for a role."}
        )
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(10))
    plaintext = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        team=team,
        user=user,
        name=name.strip() or "API token",
        prefix=prefix,
        token_hash=_hash_token(plaintext),
        read_only=read_only,
    )
    return IssuedToken(token=token, plaintext=plaintext)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token; revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token matching a bearer string whose user still belongs to its team."""
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_SCHEME:
        return None
    token = (
        ApiToken.objects.select_related("team", "user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, _hash_token(plaintext)):
        return None
    if not Membership.objects.filter(user=token.user, team=token.team).exists():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
