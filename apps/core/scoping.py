"""Team-scoped lookups: another team's object is answered with 404, never 403.

A 403 would confirm the object exists; outsiders learn nothing from a 404.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from apps.accounts.models import WRITE_ROLES, User

M = TypeVar("M", bound=Model)


def scope_to_user(queryset: QuerySet[M], user: User, *, team_field: str = "team") -> QuerySet[M]:
    """Only objects that belong to one of the user's teams."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{team_field}__memberships__user": user})


def get_for_user_or_404(
    queryset: QuerySet[M],
    user: User,
    *,
    team_field: str = "team",
    for_write: bool = False,
    **lookup: object,
) -> M:
    """The object matching `lookup` among the user's teams' objects, else 404.

    With `for_write`, the user's role in *the object's* team must allow writing (403
    otherwise): the role in whichever team is current does not count, since a user may
    own one team and only view another.
    """
    try:
        found = scope_to_user(queryset, user, team_field=team_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc
    if for_write:
        writable = queryset.model._default_manager.filter(
            pk=found.pk,
            **{
                f"{team_field}__memberships__user": user,
                f"{team_field}__memberships__role__in": WRITE_ROLES,
            },
        )
        if not writable.exists():
            raise PermissionDenied("Your role in this object's team is read-only.")
    return found


def get_for_team_or_404(
    queryset: QuerySet[M], team_id: int, *, team_field: str = "team", **lookup: object
) -> M:
    """The object matching `lookup` within one team (API tokens act for a single team)."""
    try:
        return queryset.filter(**{f"{team_field}_id": team_id}).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc
