"""Bearer-token authentication for the JSON API."""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from apps.accounts.models import ApiToken, Membership
from apps.accounts.services import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer pft_…`: the token acts for its user within its one team.

    Writes need a read-write token *and* a role that may write (a token never grants
    more than its user has).
    """

    openapi_description = "An API token from Settings → API tokens (shown once when created)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS:
            if api_token.read_only:
                raise HttpError(403, "This token is read-only; create a read-write token to write.")
            membership = Membership.objects.get(user=api_token.user, team=api_token.team)
            if not membership.can_write:
                raise HttpError(403, "Your role in this team is read-only.")
        request.user = api_token.user
        return api_token
