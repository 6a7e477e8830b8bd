"""ML Test Score items answered from datasets and runs: schema, simpler model, gates."""

import numpy as np
from django.test import Client

from apps.checklists.models import Answer, AnswerSource
from apps.problems.models import Problem
from apps.runs import leaderboard, services
from apps.runs.models import ModelRun
from tests.checklists.conftest import checklist_url


def rubric_answer(problem: Problem, item_key: str) -> Answer | None:
    return Answer.objects.filter(
        checklist__problem=problem, checklist__template__key="ml_test_score", item__key=item_key
    ).first()


def _baseline(problem: Problem, value: float) -> ModelRun:
    return ModelRun.objects.create(
        problem=problem,
        task="binary",
        kind="baseline",
        baseline_key="linear",
        name="Linear model",
        status="ready",
        evaluation={"roc_auc": value},
    )


def test_nothing_is_answered_before_there_is_evidence(
    owner_client: Client, problem: Problem
) -> None:
    owner_client.get(checklist_url(problem, "ml_test_score"))
    for key in ("data_schema", "model_simpler_baseline", "infra_validate_before_serving"):
        found = rubric_answer(problem, key)
        assert found is None or found.state == ""


def test_a_model_beating_a_gated_baseline_scores_one_and_a_gate_is_validation(
    owner_client: Client,
    problem: Problem,
    owner,  # noqa: ANN001
) -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    model = services.run_create_from_arrays(
        problem=problem,
        user=owner,
        name="gbm",
        y_true=y,
        scores=np.clip(0.6 * y + rng.uniform(0, 0.4, 300), 0, 1),
    )
    _baseline(problem, 0.70)
    owner_client.get(checklist_url(problem, "ml_test_score"))
    simpler = rubric_answer(problem, "model_simpler_baseline")
    assert simpler.state == "0.5"
    assert simpler.source == AnswerSource.AUTOMATIC
    assert "gbm" in simpler.evidence_text
    assert "add a gate" in simpler.evidence_text
    assert simpler.evidence_url == f"/runs/problems/{problem.pk}/leaderboard/"

    leaderboard.gate_create(problem=problem, user=owner, metric="roc_auc", baseline="best_simple")
    owner_client.get(checklist_url(problem, "ml_test_score"))
    assert rubric_answer(problem, "model_simpler_baseline").state == "1"
    gated = rubric_answer(problem, "infra_validate_before_serving")
    assert gated.state == "1"
    assert "1 gate check" in gated.evidence_text
    assert model.evaluation["roc_auc"] > 0.7


def test_a_baseline_as_good_as_the_model_scores_zero(
    owner_client: Client,
    problem: Problem,
    owner,  # noqa: ANN001
) -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    services.run_create_from_arrays(
        problem=problem, user=owner, name="weak", y_true=y, scores=rng.uniform(0, 1, 300)
    )
    _baseline(problem, 0.95)
    owner_client.get(checklist_url(problem, "ml_test_score"))
    answer = rubric_answer(problem, "model_simpler_baseline")
    assert answer.state == "0"
    assert "The simpler model does as well" in answer.evidence_text


def test_a_quality_monitor_that_has_checked_data_scores_one(
    owner_client: Client,
    problem: Problem,
    owner,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    from apps.monitors import services as monitor_services

    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 200)
    run = services.run_create_from_arrays(
        problem=problem, user=owner, name="gbm", y_true=y, scores=rng.uniform(0, 1, 200)
    )
    with django_capture_on_commit_callbacks(execute=True):
        monitor_services.monitor_create(
            problem=problem,
            user=owner,
            name="AUC floor",
            kind="threshold",
            target_run=run,
            metric="roc_auc",
            direction="higher",
            threshold=0.7,
        )
    owner_client.get(checklist_url(problem, "ml_test_score"))
    answer = rubric_answer(problem, "monitor_prediction_quality")
    assert answer.state == "1"
    assert "AUC floor" in answer.evidence_text
    assert answer.evidence_url == f"/monitors/problems/{problem.pk}/"
    assert rubric_answer(problem, "monitor_training_serving_skew") is None
