from django.test import Client

from apps.core.models import Job
from apps.datasets.models import DatasetVersion
from apps.problems.models import Problem
from tests.datasets.conftest import csv_file, table


def test_the_upload_page_renders_with_a_dropzone(owner_client: Client, problem: Problem) -> None:
    response = owner_client.get(f"/datasets/problems/{problem.pk}/upload/")
    assert response.status_code == 200
    assert b'id="dropzone"' in response.content
    assert b"churned" in response.content  # the target column it will check


def test_a_valid_upload_starts_the_job_and_opens_its_page(
    owner_client: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/datasets/problems/{problem.pk}/upload/",
            {"name": "customers", "role": "train", "file": csv_file(table())},
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert DatasetVersion.objects.get().rows == 200
    page = owner_client.get(response["Location"]).content.decode()
    assert 'id="open-version"' in page


def test_an_htmx_upload_swaps_in_the_progress_panel(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {"name": "customers", "role": "train", "file": csv_file(table())},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="upload-form">')
    assert 'id="job-status"' in body


def test_a_renamed_pickle_is_refused_next_to_the_file_field(
    owner_client: Client, problem: Problem
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {
            "name": "customers",
            "role": "train",
            "file": SimpleUploadedFile("x.csv", b"\x80\x04\x95\x00pickle"),
        },
    )
    assert response.status_code == 422
    assert b'id="file-error"' in response.content
    assert not Job.objects.exists()


def test_a_file_over_the_cap_is_refused_without_storing_it(
    owner_client: Client, problem: Problem, settings
) -> None:  # noqa: ANN001
    settings.UPLOAD_MAX_BYTES = 1000
    response = owner_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {"name": "customers", "role": "train", "file": csv_file(table(rows=500))},
    )
    assert b"upload limit" in response.content
    assert not Job.objects.exists()


def test_a_missing_name_is_a_field_error(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {"name": "", "role": "train", "file": csv_file(table())},
    )
    assert response.status_code == 422
    assert not Job.objects.exists()


def test_viewers_cannot_upload(viewer_client: Client, problem: Problem) -> None:
    response = viewer_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {"name": "c", "role": "train", "file": csv_file(table())},
    )
    assert response.status_code == 403


def test_outsiders_get_404(outsider_client: Client, problem: Problem) -> None:
    assert outsider_client.get(f"/datasets/problems/{problem.pk}/upload/").status_code == 404
    response = outsider_client.post(
        f"/datasets/problems/{problem.pk}/upload/",
        {"name": "c", "role": "train", "file": csv_file(table())},
    )
    assert response.status_code == 404
    assert not Job.objects.exists()
