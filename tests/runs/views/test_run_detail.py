import re

import numpy as np
from django.test import Client
from sklearn.metrics import confusion_matrix

from apps.runs.models import ModelRun
from tests.runs.conftest import predictions


def test_the_run_page_shows_headline_metrics_and_charts(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.get(f"/runs/{ready_run.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for element in ("metric-roc_auc", "threshold-slider", "roc-chart", "pr-chart", "cost-chart"):
        assert f'id="{element}"' in body
    assert "95 % CI" in body
    assert 'plotly.min.js"></script>' not in body  # plotly loads lazily from charts.js


def test_an_evaluating_run_shows_its_job_progress_and_polls(
    owner_client: Client, ready_run: ModelRun
) -> None:
    ModelRun.objects.filter(pk=ready_run.pk).update(status="evaluating")
    body = owner_client.get(f"/runs/{ready_run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'id="job-status"' in body


def test_the_htmx_poll_refreshes_the_page_once_the_run_is_ready(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.get(f"/runs/{ready_run.pk}/", headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="run-status"')
    assert response["HX-Refresh"] == "true"


def _cell(body: str, name: str) -> int:
    match = re.search(rf'id="cm-{name}">\w+ ([\d,]+)<', body)
    assert match, name
    return int(match.group(1).replace(",", ""))


def test_the_threshold_partial_matches_sklearns_confusion_matrix(
    viewer_client: Client, ready_run: ModelRun
) -> None:
    frame = predictions()
    y = (frame["churned"] == "yes").astype(int)
    for t in (0.0, 0.37, 0.5, 0.81, 1.0):
        response = viewer_client.get(
            f"/runs/{ready_run.pk}/threshold/?t={t}", headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="threshold-panel">')
        tn, fp, fn, tp = confusion_matrix(y, (frame["score"] >= t).astype(int)).ravel()
        assert [_cell(body, c) for c in ("tn", "fp", "fn", "tp")] == [tn, fp, fn, tp], t


def test_the_threshold_partial_reads_no_file(owner_client: Client, ready_run: ModelRun) -> None:
    from apps.runs import storage

    storage.delete_quietly(ready_run.storage_key)
    response = owner_client.get(f"/runs/{ready_run.pk}/threshold/?t=0.42")
    assert response.status_code == 200
    assert 'id="cost-per-month"' in response.content.decode()


def test_a_nonsense_threshold_falls_back_to_the_runs(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.get(f"/runs/{ready_run.pk}/threshold/?t=abc")
    assert response.status_code == 200
    assert np.isclose(ready_run.threshold, 0.5)


def test_saving_a_threshold_records_the_user_and_the_reason(
    teammate_client: Client, ready_run: ModelRun, teammate
) -> None:  # noqa: ANN001
    response = teammate_client.post(
        f"/runs/{ready_run.pk}/threshold/save/", {"threshold": "0.37", "reason": "ops capacity"}
    )
    ready_run.refresh_from_db()
    assert response.status_code == 302
    assert (ready_run.threshold, ready_run.threshold_set_by, ready_run.threshold_reason) == (
        0.37,
        teammate,
        "ops capacity",
    )
    page = teammate_client.get(f"/runs/{ready_run.pk}/").content.decode()
    assert "ops capacity" in page


def test_a_threshold_without_a_reason_is_a_field_error(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.post(
        f"/runs/{ready_run.pk}/threshold/save/",
        {"threshold": "0.3", "reason": ""},
        headers={"HX-Request": "true"},
    )
    ready_run.refresh_from_db()
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert ready_run.threshold_set_by is None


def test_a_viewer_may_look_but_not_save_a_threshold(
    viewer_client: Client, ready_run: ModelRun
) -> None:
    assert viewer_client.get(f"/runs/{ready_run.pk}/").status_code == 200
    response = viewer_client.post(
        f"/runs/{ready_run.pk}/threshold/save/", {"threshold": "0.2", "reason": "mine"}
    )
    ready_run.refresh_from_db()
    assert response.status_code == 403
    assert ready_run.threshold == 0.5


def test_an_outsider_gets_404_on_every_run_page(
    outsider_client: Client, ready_run: ModelRun
) -> None:
    pk, problem_id = ready_run.pk, ready_run.problem_id
    assert outsider_client.get(f"/runs/{pk}/").status_code == 404
    assert outsider_client.get(f"/runs/{pk}/threshold/?t=0.3").status_code == 404
    response = outsider_client.post(
        f"/runs/{pk}/threshold/save/", {"threshold": "0.2", "reason": "x"}
    )
    assert response.status_code == 404
    assert outsider_client.get(f"/runs/problems/{problem_id}/upload/").status_code == 404
    assert "Churn" not in outsider_client.get("/runs/").content.decode()
