"""People, teams, their roles, and the API tokens that act for them."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in; reaches objects only through team memberships."""


class Team(models.Model):
    """The unit of ownership: every problem, dataset, run and job belongs to one team."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    PM = "pm", "Product manager"
    DATA_SCIENTIST = "data_scientist", "Data scientist"
    REVIEWER = "reviewer", "Reviewer"
    VIEWER = "viewer", "Viewer"


WRITE_ROLES = (Role.OWNER, Role.PM, Role.DATA_SCIENTIST, Role.REVIEWER)


class Membership(models.Model):
    """A user's place in a team, with the role that decides what they may change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team")
        ]
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"

    @property
    def can_write(self) -> bool:
        """Viewers read; every other role may create and change the team's objects."""
        return self.role in WRITE_ROLES

    @property
    def can_manage(self) -> bool:
        return self.role == Role.OWNER


class ApiToken(models.Model):
    """A bearer token for the JSON API: one team, one user, stored as prefix + SHA-256.

    The plaintext is shown once at creation. Tokens are 256-bit random strings, so a fast
    hash is as safe as a slow one here and keeps every API call cheap.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
