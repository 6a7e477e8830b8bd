from django.test import Client

from apps.datasets.models import DatasetVersion
from apps.problems.models import Problem
from tests.datasets.conftest import csv_file, table, version_of


def test_the_page_shows_profile_warnings_and_charts(owner_client: Client, upload) -> None:  # noqa: ANN001
    frame = table(leak=True)
    frame.loc[::7, "spend"] = None
    version = version_of(upload(csv_file(frame)))
    body = owner_client.get(f"/datasets/versions/{version.pk}/").content.decode()
    assert 'id="column-table"' in body
    assert "cancel_reason_filled" in body
    assert 'id="missing-chart"' in body
    assert 'id="target-balance-chart"' in body
    assert 'data-code="' in body


def test_htmx_polling_returns_the_status_region(owner_client: Client, upload) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    response = owner_client.get(f"/datasets/versions/{version.pk}/", headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="version-status"')
    assert response["HX-Refresh"] == "true"


def test_a_test_set_shows_its_evaluation_count(owner_client: Client, upload) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table()), role="test"))
    DatasetVersion.objects.filter(pk=version.pk).update(evaluation_count=7)
    body = owner_client.get(f"/datasets/versions/{version.pk}/").content.decode()
    assert "Heavily reused" in body


def test_download_streams_the_parquet_to_members_only(
    owner_client: Client, outsider_client: Client, upload
) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    response = owner_client.get(f"/datasets/versions/{version.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"PAR1"
    assert outsider_client.get(f"/datasets/versions/{version.pk}/download/").status_code == 404


def test_outsiders_get_404_on_version_pages(
    outsider_client: Client, upload, problem: Problem
) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    assert outsider_client.get(f"/datasets/versions/{version.pk}/").status_code == 404
    assert outsider_client.post(f"/datasets/versions/{version.pk}/profile/").status_code == 404
    assert outsider_client.get(f"/datasets/problems/{problem.pk}/drift/").status_code == 404
    assert outsider_client.get(f"/datasets/problems/{problem.pk}/panel/").status_code == 404


def test_the_list_and_problem_panel_show_the_version(
    owner_client: Client, upload, problem: Problem
) -> None:  # noqa: ANN001
    version_of(upload(csv_file(table())))
    assert b"customers" in owner_client.get("/datasets/").content
    assert b"customers" in owner_client.get(f"/datasets/problems/{problem.pk}/panel/").content


def test_reprofiling_runs_the_profile_again(
    owner_client: Client, upload, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    DatasetVersion.objects.filter(pk=version.pk).update(profile=None, warnings=[])
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/datasets/versions/{version.pk}/profile/")
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "ready"
    assert version.profile


def test_a_table_without_gaps_says_so_instead_of_an_empty_chart(
    owner_client: Client, upload
) -> None:  # noqa: ANN001
    version = version_of(upload(csv_file(table())))
    body = owner_client.get(f"/datasets/versions/{version.pk}/").content.decode()
    assert 'id="missing-chart"' not in body
    assert "No missing values" in body
