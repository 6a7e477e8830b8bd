"""The request type our views see, with what the middleware attaches (for type checkers)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from apps.accounts.models import Membership, Team, User


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    membership: Membership | None
    team: Team | None
    user: User
