import re

import numpy as np
from django.test import Client
from sklearn.metrics import roc_auc_score

from apps.accounts.models import User
from apps.core.models import Job
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs import services
from apps.runs.models import ModelRun


def _labels_and_scores(seed: int = 0, rows: int = 150) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, rows)
    weak = np.clip(0.15 * y + rng.uniform(0, 0.85, rows), 0, 1)
    strong = np.clip(0.5 * y + rng.uniform(0, 0.5, rows), 0, 1)
    return y, weak, strong


def _run(problem: Problem, user: User, name: str, y: np.ndarray, s: np.ndarray) -> ModelRun:
    return services.run_create_from_arrays(
        problem=problem, user=user, name=name, y_true=y, scores=s
    )


def test_the_compare_page_shows_metrics_side_by_side_and_a_paired_verdict(
    owner_client: Client, problem: Problem, owner: User, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    y, weak, strong = _labels_and_scores()
    base = _run(problem, owner, "weak", y, weak)
    other = _run(problem, owner, "strong", y, strong)
    with django_capture_on_commit_callbacks(execute=True):
        first = owner_client.get(f"/runs/compare/?runs={base.pk},{other.pk}")
    assert 'id="job-status"' in first.content.decode()
    job = Job.objects.get(kind="run_compare")
    assert job.status == "succeeded", job.error
    # The same selection reuses the finished job instead of resampling again.
    response = owner_client.get(f"/runs/compare/?runs={base.pk},{other.pk}")
    assert Job.objects.filter(kind="run_compare").count() == 1
    body = response.content.decode()
    assert response.status_code == 200
    for key in ("roc_auc", "pr_auc", "f1", "log_loss", "brier", "ece"):
        assert f'id="compare-{key}"' in body
    row = body.split('id="compare-roc_auc"')[1].split("</tr>")[0]
    diff = re.search(r'compare-diff">\+?(-?[\d.]+)<', row)
    assert diff
    expected = roc_auc_score(y, strong) - roc_auc_score(y, weak)
    assert np.isclose(float(diff.group(1)), expected, atol=5e-5)
    assert f'id="paired-{other.pk}"' in body
    verdicts = dict(
        re.findall(r'data-metric="(\w+)".*?paired-verdict[^"]*">(\w[\w ]*)<', body, re.S)
    )
    assert verdicts["roc_auc"] == "better"
    auc = job.result["pairs"][0]["comparison"]["roc_auc"]
    assert np.isclose(auc["estimate"], expected)
    assert auc["low"] > 0


def test_runs_on_different_rows_get_no_paired_interval(
    owner_client: Client, problem: Problem, owner: User, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    y, weak, strong = _labels_and_scores()
    base = _run(problem, owner, "weak", y, weak)
    other = _run(problem, owner, "short", y[:100], strong[:100])
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(f"/runs/compare/?runs={base.pk}&runs={other.pk}")
    body = owner_client.get(f"/runs/compare/?runs={base.pk}&runs={other.pk}").content.decode()
    assert "Scored on different rows" in body
    assert "paired-verdict" not in body


def test_runs_of_different_problems_cannot_be_compared(
    owner_client: Client, problem: Problem, owner: User, team
) -> None:  # noqa: ANN001
    other_problem = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Fraud",
        task_type="binary",
        positive_label="1",
    )
    y, weak, strong = _labels_and_scores()
    a = _run(problem, owner, "a", y, weak)
    b = _run(other_problem, owner, "b", y, strong)
    response = owner_client.get(f"/runs/compare/?runs={a.pk},{b.pk}")
    assert response.status_code == 400
    assert "different problems" in response.content.decode()


def test_a_single_or_malformed_selection_is_a_clear_error(
    owner_client: Client, ready_run: ModelRun
) -> None:
    for query in (f"runs={ready_run.pk}", "runs=1,x", ""):
        response = owner_client.get(f"/runs/compare/?{query}")
        assert response.status_code == 400
        assert 'id="compare-error"' in response.content.decode()


def test_an_outsider_gets_404_when_comparing_foreign_runs(
    outsider_client: Client, problem: Problem, owner: User
) -> None:
    y, weak, strong = _labels_and_scores()
    a = _run(problem, owner, "a", y, weak)
    b = _run(problem, owner, "b", y, strong)
    assert outsider_client.get(f"/runs/compare/?runs={a.pk},{b.pk}").status_code == 404


def test_the_run_list_offers_compare_checkboxes(viewer_client: Client, ready_run: ModelRun) -> None:
    body = viewer_client.get("/runs/").content.decode()
    assert 'action="/runs/compare/"' in body
    assert f'name="runs" value="{ready_run.pk}"' in body
    assert 'id="compare-runs"' in body
