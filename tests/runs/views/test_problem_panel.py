import re

import numpy as np
from django.test import Client

from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.runs.conftest import predictions


def test_the_problem_page_loads_the_runs_panel_lazily(
    owner_client: Client, problem: Problem
) -> None:
    body = owner_client.get(f"/problems/{problem.pk}/").content.decode()
    assert f'hx-get="/runs/problems/{problem.pk}/panel/"' in body


def test_the_panel_lists_runs_with_auc_and_cost_at_the_saved_threshold(
    owner_client: Client, problem: Problem, ready_run: ModelRun
) -> None:
    ModelRun.objects.filter(pk=ready_run.pk).update(threshold=0.6)
    response = owner_client.get(
        f"/runs/problems/{problem.pk}/panel/", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="card mb-3" id="problem-runs">')
    assert f'href="/runs/{ready_run.pk}/"' in body
    assert 'id="upload-predictions"' in body
    frame = predictions()
    y = (frame["churned"] == "yes").to_numpy()
    flagged = frame["score"].to_numpy() >= 0.6
    fp = int((flagged & ~y).sum())
    fn = int((~flagged & y).sum())
    expected = (5 * fp + 50 * fn) / len(frame)
    shown = re.search(r'class="run-cost">([\d.]+) ', body)
    assert shown
    assert np.isclose(float(shown.group(1)), expected, atol=0.005)
    auc = re.search(r'class="run-primary">([\d.]+)<', body)
    assert auc
    assert np.isclose(float(auc.group(1)), ready_run.evaluation["roc_auc"], atol=0.0005)


def test_viewers_see_the_panel_without_the_upload_button(
    viewer_client: Client, problem: Problem
) -> None:
    body = viewer_client.get(f"/runs/problems/{problem.pk}/panel/").content.decode()
    assert 'id="problem-runs"' in body
    assert "No model uploaded yet" in body
    assert "No trained baselines yet" in body
    assert 'id="panel-train-baselines"' not in body
    assert 'id="upload-predictions"' not in body


def test_an_outsider_gets_404_for_the_panel(outsider_client: Client, problem: Problem) -> None:
    assert outsider_client.get(f"/runs/problems/{problem.pk}/panel/").status_code == 404
