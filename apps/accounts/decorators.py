"""View guards shared by every app: a signed-in team member, and one who may write."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]


def team_required(view: View) -> View:
    """Signed in and a member of at least one team (else a page that says what to do)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.membership:
            return render(request, "accounts/no_team.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def write_required(view: View) -> View:
    """A team member whose role may change things (viewers may not)."""

    @team_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.membership.can_write:
            raise PermissionDenied("Your role in this team is read-only.")
        return view(request, *args, **kwargs)

    return wrapper
