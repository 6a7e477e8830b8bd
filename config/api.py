"""API v1: one NinjaAPI, bearer-token auth, each app's router, errors in one JSON shape."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apps.accounts.auth import BearerTokenAuth
from apps.core.api import router as core_router
from apps.datasets.api import router as datasets_router
from apps.datasets.uploads import TOO_LARGE_ATTRIBUTE, upload_too_large_message
from apps.problems.api import router as problems_router

api = NinjaAPI(
    title="Preflight API",
    version="1",
    description=(
        "ML product readiness reviews. Authenticate with `Authorization: Bearer <token>`; "
        "uploads return 202 with a job id to poll at `/api/v1/jobs/{id}`."
    ),
    urls_namespace="api",
    auth=BearerTokenAuth(),
    docs_url="/docs",
)
api.add_router("", core_router)
api.add_router("", problems_router)
api.add_router("", datasets_router)
api.add_router("", "apps.checklists.api.router")
api.add_router("", "apps.runs.api.router")
api.add_router("", "apps.monitors.api.router")


def _error(
    request: HttpRequest, status: int, detail: str, errors: list | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


PARAMETER_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _field_name(location: list) -> str:
    """ninja reports ("body", "payload", "name"): users care about "name" only."""
    parts = [str(p) for p in location]
    if parts and parts[0] in PARAMETER_SOURCES:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or ".".join(str(p) for p in location)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if getattr(request, TOO_LARGE_ATTRIBUTE, False):
        # The upload handler stopped reading, so the file field looks missing: say why.
        return _error(
            request,
            413,
            upload_too_large_message(),
            [{"field": "file", "message": upload_too_large_message()}],
        )
    errors = [
        {"field": _field_name(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
    ]
    return _error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(DjangoValidationError)
def on_service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"message": message} for message in exc.messages]
    return _error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Authentication required: send a valid, unrevoked API token.")
    response["WWW-Authenticate"] = 'Bearer realm="preflight"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Not allowed.")
