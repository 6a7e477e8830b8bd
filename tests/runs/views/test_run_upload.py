from django.test import Client

from apps.core.models import Job
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.runs.conftest import csv_file, predictions


def test_the_upload_page_renders_with_the_mapping_fields(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.get(f"/runs/problems/{problem.pk}/upload/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="dropzone"' in body
    assert 'name="y_true_column"' in body
    assert 'name="score_column"' in body


def test_a_valid_upload_runs_the_job_and_links_to_the_run(
    owner_client: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/runs/problems/{problem.pk}/upload/",
            {"name": "gbm", "model_version": "v3", "file": csv_file(predictions())},
        )
    job = Job.objects.get()
    run = ModelRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert run.model_version == "v3"
    page = owner_client.get(response["Location"]).content.decode()
    assert f'href="/runs/{run.pk}/"' in page


def test_an_htmx_upload_swaps_in_the_progress_panel(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        f"/runs/problems/{problem.pk}/upload/",
        {"name": "gbm", "file": csv_file(predictions())},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="upload-form">')
    assert 'id="job-status"' in body


def test_a_missing_name_is_a_field_error(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        f"/runs/problems/{problem.pk}/upload/", {"name": "", "file": csv_file(predictions())}
    )
    assert response.status_code == 422
    assert not Job.objects.exists()


def test_a_viewer_cannot_upload(viewer_client: Client, problem: Problem) -> None:
    assert viewer_client.get(f"/runs/problems/{problem.pk}/upload/").status_code == 403


def test_the_run_list_shows_the_teams_runs(owner_client: Client, ready_run: ModelRun) -> None:
    body = owner_client.get("/runs/").content.decode()
    assert f'href="/runs/{ready_run.pk}/"' in body
