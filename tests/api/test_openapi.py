"""The OpenAPI schema and the docs page (served from local static files only)."""

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_schema_lists_the_routes_with_their_error_responses(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert "/api/v1/me" in paths
    assert "/api/v1/jobs/{job_id}" in paths
    job_responses = paths["/api/v1/jobs/{job_id}"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(job_responses)
    assert {"200", "401", "422"} <= set(paths["/api/v1/me"]["get"]["responses"])
    error = job_responses["404"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/ErrorOut")
    assert {"detail", "errors"} <= set(schema["components"]["schemas"]["ErrorOut"]["properties"])
    assert schema["components"]["securitySchemes"]["BearerTokenAuth"]["scheme"] == "bearer"


def test_the_docs_page_loads_only_local_assets(client: Client, db: None) -> None:
    response = client.get("/api/v1/docs")
    body = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"', body)
    assert sources, "the docs page should load its script and stylesheet"
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file"
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)
