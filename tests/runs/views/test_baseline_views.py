"""Views: train baselines, add a reference, the leaderboard partial, add and remove gates."""

from django.test import Client

from apps.core.models import Job
from apps.problems.models import Problem
from apps.runs.models import Gate, ModelRun


def test_the_training_form_starts_a_job_and_refuses_one_version_twice(
    owner_client: Client,
    problem: Problem,
    versions,  # noqa: ANN001
) -> None:
    url = f"/runs/problems/{problem.pk}/baselines/"
    page = owner_client.get(url)
    assert page.status_code == 200
    assert 'id="baseline-form"' in page.content.decode()
    train, test = versions
    same = owner_client.post(
        url, {"train_version": train.pk, "eval_version": train.pk, "automl_budget_s": 60}
    )
    assert same.status_code == 422
    assert "different version" in same.content.decode()
    assert not Job.objects.filter(kind="baseline_train").exists()
    started = owner_client.post(
        url, {"train_version": train.pk, "eval_version": test.pk, "automl_budget_s": 60}
    )
    job = Job.objects.get(kind="baseline_train")
    assert started.status_code == 302
    assert started["Location"] == f"/jobs/{job.pk}/"
    assert job.params["automl_budget_s"] is None  # the AutoML box was not ticked


def test_a_reference_is_added_from_the_form_and_errors_are_shown_by_the_field(
    owner_client: Client, problem: Problem
) -> None:
    url = f"/runs/problems/{problem.pk}/references/new/"
    bad = owner_client.post(
        url,
        {
            "name": "Agents",
            "reference_kind": "human_expert",
            "source": "QA sample",
            "roc_auc__value": "0.8",
            "roc_auc__low": "0.85",
            "roc_auc__high": "0.9",
        },
    )
    assert bad.status_code == 422
    assert "must contain the value 0.8" in bad.content.decode()
    assert not ModelRun.objects.exists()
    good = owner_client.post(
        url,
        {
            "name": "Agents",
            "reference_kind": "human_expert",
            "source": "QA sample",
            "recall__value": "0.7",
        },
    )
    assert good.status_code == 302
    run = ModelRun.objects.get()
    assert (run.kind, run.evaluation["recall"]) == ("external", 0.7)


def test_the_leaderboard_answers_htmx_with_the_table_only(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.get(
        f"/runs/problems/{problem.pk}/leaderboard/", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="leaderboard-table"')
    assert "<html" not in body


def test_gates_are_added_and_removed_and_invalid_ones_explained(
    owner_client: Client, problem: Problem
) -> None:
    url = f"/runs/problems/{problem.pk}/gates/"
    bad = owner_client.post(url, {"metric": "roc_auc", "baseline": "", "mode": "superiority"})
    assert bad.status_code == 422
    assert "threshold" in bad.content.decode().lower()
    assert not Gate.objects.exists()
    good = owner_client.post(url, {"metric": "roc_auc", "threshold": "0.8", "mode": "superiority"})
    assert good.status_code == 302
    gate = Gate.objects.get()
    removed = owner_client.post(f"/runs/gates/{gate.pk}/delete/")
    assert removed.status_code == 302
    assert not Gate.objects.exists()


def test_viewers_cannot_change_gates_and_outsiders_get_404(
    viewer_client: Client,
    outsider_client: Client,
    problem: Problem,
    owner,  # noqa: ANN001
) -> None:
    from apps.runs import leaderboard

    gate = leaderboard.gate_create(problem=problem, user=owner, metric="roc_auc", threshold=0.8)
    form = {"metric": "roc_auc", "threshold": "0.9", "mode": "superiority"}
    assert viewer_client.post(f"/runs/problems/{problem.pk}/gates/", form).status_code == 403
    assert viewer_client.post(f"/runs/gates/{gate.pk}/delete/").status_code == 403
    assert outsider_client.post(f"/runs/gates/{gate.pk}/delete/").status_code == 404
    assert outsider_client.post(f"/runs/problems/{problem.pk}/gates/", form).status_code == 404
    assert Gate.objects.count() == 1
