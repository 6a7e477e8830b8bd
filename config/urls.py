from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from config.api import api


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", include("apps.dashboard.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("problems/", include("apps.problems.urls")),
    path("datasets/", include("apps.datasets.urls")),
    path("runs/", include("apps.runs.urls")),
    path("monitors/", include("apps.monitors.urls")),
    path("checklists/", include("apps.checklists.urls")),
    path("", include("apps.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
