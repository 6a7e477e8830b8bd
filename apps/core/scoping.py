"""Team-scoped lookups: another team's object is answered with 404, never 403.

A 403 would confirm the object exists; outsiders learn nothing from a 404.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from apps.accounts.models import User

M = TypeVar("M", bound=Model)


def scope_to_user(queryset: QuerySet[M], user: User, *, team_field: str = "team") -> QuerySet[M]:
    """Only objects that belong to one of the user's teams."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{team_field}__memberships__user": user})


def get_for_user_or_404(
    queryset: QuerySet[M], user: User, *, team_field: str = "team", **lookup: object
) -> M:
    """The object matching `lookup` among the user's teams' objects, else 404."""
    try:
        return scope_to_user(queryset, user, team_field=team_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc


def get_for_team_or_404(
    queryset: QuerySet[M], team_id: int, *, team_field: str = "team", **lookup: object
) -> M:
    """The object matching `lookup` within one team (API tokens act for a single team)."""
    try:
        return queryset.filter(**{f"{team_field}_id": team_id}).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc
