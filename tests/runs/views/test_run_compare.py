import re

import numpy as np
from django.test import Client
from sklearn.metrics import f1_score, roc_auc_score

from apps.accounts.models import User
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs import selectors, services
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


def test_the_paired_bootstrap_matches_a_straightforward_loop_with_the_same_seed() -> None:
    y, weak, strong = _labels_and_scores()
    auc, f1 = selectors.paired_differences(y, weak, strong, replicates=200, seed=7)
    rng = np.random.default_rng(7)
    auc_diffs, f1_diffs = [], []
    for _ in range(200):
        idx = rng.integers(0, y.size, size=y.size)
        auc_diffs.append(roc_auc_score(y[idx], strong[idx]) - roc_auc_score(y[idx], weak[idx]))
        f1_diffs.append(
            f1_score(y[idx], strong[idx] >= 0.5, zero_division=0)
            - f1_score(y[idx], weak[idx] >= 0.5, zero_division=0)
        )
    assert np.isclose(auc.estimate, roc_auc_score(y, strong) - roc_auc_score(y, weak))
    assert np.allclose([auc.low, auc.high], np.percentile(auc_diffs, [2.5, 97.5]))
    assert np.allclose([f1.low, f1.high], np.percentile(f1_diffs, [2.5, 97.5]))
    assert auc.verdict == "better"


def test_verdicts_follow_whether_the_interval_excludes_zero() -> None:
    y, weak, strong = _labels_and_scores()
    worse, _ = selectors.paired_differences(y, strong, weak, replicates=200)
    same, _ = selectors.paired_differences(y, strong, strong.copy(), replicates=50)
    assert worse.verdict == "worse"
    assert same.verdict == "not distinguishable"


def test_the_compare_page_shows_metrics_side_by_side_and_a_paired_verdict(
    owner_client: Client, problem: Problem, owner: User
) -> None:
    y, weak, strong = _labels_and_scores()
    base = _run(problem, owner, "weak", y, weak)
    other = _run(problem, owner, "strong", y, strong)
    response = owner_client.get(f"/runs/compare/?runs={base.pk},{other.pk}")
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
    assert re.findall(r'paired-verdict[^"]*">(\w[\w ]*)<', body)[0] == "better"


def test_runs_on_different_rows_get_no_paired_interval(
    owner_client: Client, problem: Problem, owner: User
) -> None:
    y, weak, strong = _labels_and_scores()
    base = _run(problem, owner, "weak", y, weak)
    other = _run(problem, owner, "short", y[:100], strong[:100])
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
