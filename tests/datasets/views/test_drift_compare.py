from django.test import Client

from apps.problems.models import Problem
from tests.datasets.conftest import csv_file, table, version_of


def _pair(upload):  # noqa: ANN001, ANN202
    reference = version_of(upload(csv_file(table(rows=400))))
    shifted = table(rows=400, seed=5)
    shifted["spend"] = shifted["spend"] + 200
    current = version_of(upload(csv_file(shifted, name="b.csv"), role="reference"))
    return reference, current


def test_computing_drift_then_reading_it_sorted_by_severity(
    owner_client: Client, upload, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    reference, current = _pair(upload)
    url = f"/datasets/problems/{problem.pk}/drift/"
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url, {"reference": reference.pk, "current": current.pk})
    assert response.status_code == 302
    body = owner_client.get(response["Location"]).content.decode()
    table_html = body.split('id="drift-table"')[1]
    assert table_html.index("spend") < table_html.index("tenure")
    assert 'id="drift-overlay-chart"' in body


def test_thresholds_change_statuses_without_recomputing(
    owner_client: Client, upload, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    reference, current = _pair(upload)
    url = f"/datasets/problems/{problem.pk}/drift/"
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {"reference": reference.pk, "current": current.pk})
    strict = owner_client.get(
        f"{url}?reference={reference.pk}&current={current.pk}"
    ).content.decode()
    lax = owner_client.get(
        f"{url}?reference={reference.pk}&current={current.pk}&psi_warn=1000&psi_drift=1000&p_value=0"
    ).content.decode()
    assert ">drift<" in strict
    assert ">drift<" not in lax


def test_comparing_a_version_with_itself_is_refused(
    owner_client: Client, upload, problem: Problem
) -> None:  # noqa: ANN001
    reference, _ = _pair(upload)
    response = owner_client.post(
        f"/datasets/problems/{problem.pk}/drift/",
        {"reference": reference.pk, "current": reference.pk},
    )
    assert b"two different versions" in response.content


def test_viewers_cannot_start_a_comparison(viewer_client: Client, upload, problem: Problem) -> None:  # noqa: ANN001
    reference, current = _pair(upload)
    response = viewer_client.post(
        f"/datasets/problems/{problem.pk}/drift/",
        {"reference": reference.pk, "current": current.pk},
    )
    assert response.status_code == 403
