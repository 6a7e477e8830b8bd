"""Attach the signed-in user's current team and membership to every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from apps.accounts.models import Membership

SESSION_TEAM_KEY = "current_team_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership for the team chosen in the session, else the user's first team."""
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    chosen = request.session.get(SESSION_TEAM_KEY)
    membership = memberships.filter(team_id=chosen).first() if chosen else None
    return membership or memberships.order_by("team__name").first()


class CurrentTeamMiddleware:
    """request.membership and request.team, resolved lazily (static files pay nothing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = SimpleLazyObject(lambda: current_membership(request))
        request.team = SimpleLazyObject(
            lambda: request.membership.team if request.membership else None
        )
        return self.get_response(request)
