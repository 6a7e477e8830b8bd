import re

import numpy as np
from django.test import Client
from sklearn.metrics import accuracy_score, precision_score

from apps.accounts.models import User
from apps.problems.models import Problem
from apps.runs import services
from apps.runs.models import ModelRun
from tests.runs.conftest import predictions


def _arrays() -> tuple[np.ndarray, np.ndarray]:
    frame = predictions()
    return (frame["churned"] == "yes").to_numpy(dtype=int), frame["score"].to_numpy()


def test_evaluation_stores_the_abstention_curve_matching_a_hand_computation(
    ready_run: ModelRun,
) -> None:
    stored = ready_run.abstention
    y, s = _arrays()
    confidence = np.abs(s - 0.5)
    assert stored["threshold"] == 0.5
    assert stored["fallback_cost_missing"] is True
    assert stored["cutoffs"] == sorted(set(confidence.tolist()), reverse=True)
    for k in (0, 7, len(stored["cutoffs"]) - 1):
        answered = confidence >= stored["cutoffs"][k]
        predicted = (s[answered] >= 0.5).astype(int)
        assert np.isclose(stored["coverage"][k], answered.mean())
        assert np.isclose(stored["accuracy"][k], accuracy_score(y[answered], predicted))
        assert np.isclose(
            stored["precision"][k], precision_score(y[answered], predicted, zero_division=0)
        )
        fp = int(((predicted == 1) & (y[answered] == 0)).sum())
        fn = int(((predicted == 0) & (y[answered] == 1)).sum())
        assert np.isclose(stored["cost_per_decision"][k], (5 * fp + 50 * fn) / len(y))


def test_the_fallback_cost_is_charged_per_deferred_case_and_the_curve_is_downsampled(
    problem: Problem, owner: User
) -> None:
    Problem.objects.filter(pk=problem.pk).update(fallback_cost_per_case=2)
    problem.refresh_from_db()
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 2000)
    s = np.clip(0.3 * y + rng.uniform(0, 0.7, 2000), 0, 1)
    run = services.run_create_from_arrays(
        problem=problem, user=owner, name="big", y_true=y, scores=s
    )
    stored = run.abstention
    assert len(stored["cutoffs"]) <= 200
    assert stored["coverage"][-1] == 1.0
    assert stored["fallback_cost_missing"] is False
    k = 50
    answered = np.abs(s - 0.5) >= stored["cutoffs"][k]
    flagged = s >= 0.5
    fp = int((answered & flagged & (y == 0)).sum())
    fn = int((answered & ~flagged & (y == 1)).sum())
    deferred = int((~answered).sum())
    assert np.isclose(stored["cost_per_decision"][k], (5 * fp + 50 * fn + 2 * deferred) / 2000)


def test_the_run_page_shows_the_abstention_chart_and_the_target_cut_off(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.get(f"/runs/{ready_run.pk}/?target=0.8")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="abstention-chart"' in body
    assert 'id="fallback-cost-missing"' in body
    y, s = _arrays()
    confidence = np.abs(s - 0.5)
    # Hand search: the lowest cut-off (largest coverage) whose answered precision >= 0.8.
    best = None
    for c in sorted(set(confidence.tolist()), reverse=True):
        answered = confidence >= c
        if precision_score(y[answered], s[answered] >= 0.5, zero_division=0) >= 0.8:
            best = c
    assert best is not None
    shown = re.search(r'id="target-cutoff">([\d.]+)<', body)
    assert shown
    assert np.isclose(float(shown.group(1)), best, atol=5e-5)


def test_the_abstention_partial_answers_a_new_target_from_stored_data(
    viewer_client: Client, ready_run: ModelRun
) -> None:
    from apps.runs import storage

    storage.delete_quietly(ready_run.storage_key)
    response = viewer_client.get(
        f"/runs/{ready_run.pk}/abstention/?target=1.01", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="abstention-panel">')
    assert 'value="1"' in body  # clamped to a precision that exists
    assert 'id="abstention-chart"' in body
    nonsense = viewer_client.get(
        f"/runs/{ready_run.pk}/abstention/?target=abc", headers={"HX-Request": "true"}
    )
    assert 'value="0.95"' in nonsense.content.decode()


def test_a_run_without_stored_abstention_still_renders(
    owner_client: Client, ready_run: ModelRun
) -> None:
    ModelRun.objects.filter(pk=ready_run.pk).update(abstention=None)
    body = owner_client.get(f"/runs/{ready_run.pk}/").content.decode()
    assert 'id="abstention-missing"' in body
    assert "re-evaluate to see abstention" in body
    assert 'id="roc-chart"' in body


def test_the_abstention_url_without_htmx_redirects_to_the_run_page(
    owner_client: Client, ready_run: ModelRun
) -> None:
    response = owner_client.get(f"/runs/{ready_run.pk}/abstention/?target=0.9")
    assert response.status_code == 302
    assert response["Location"] == f"/runs/{ready_run.pk}/?target=0.9"


def test_an_outsider_gets_404_for_the_abstention_panel(
    outsider_client: Client, ready_run: ModelRun
) -> None:
    assert outsider_client.get(f"/runs/{ready_run.pk}/abstention/").status_code == 404
