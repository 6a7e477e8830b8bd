"""The baseline ladder as a job, external references, gates and the leaderboard."""

import numpy as np
import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from sklearn.metrics import roc_auc_score

from apps.accounts.models import Team, User
from apps.core.models import Job
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs import baselines, leaderboard, services
from apps.runs.models import ModelRun
from tests.runs.conftest import planted

AUTOML_BUDGET = 5


@pytest.fixture
def ladder_job(versions, problem: Problem, owner: User, django_capture_on_commit_callbacks) -> Job:  # noqa: ANN001
    train, test = versions
    Problem.objects.filter(pk=problem.pk).update(critical_segments="city = Lima\nage < 40")
    problem.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job = baselines.baseline_train_start(
            problem=problem,
            user=owner,
            train_version=train,
            eval_version=test,
            automl_budget_s=AUTOML_BUDGET,
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return job


def test_the_ladder_stores_each_rung_as_an_evaluated_baseline_run(
    ladder_job: Job, versions
) -> None:  # noqa: ANN001
    runs = {r.baseline_key: r for r in ModelRun.objects.filter(kind="baseline")}
    assert set(runs) == {"dummy", "one_rule", "linear", "gradient_boosting", "automl"}
    test = versions[1]
    y = (planted(400, 2)["churned"] == "yes").to_numpy()
    for run in runs.values():
        assert run.status == "ready"
        assert run.dataset_version == test
        assert run.rows == 400
        assert run.job == ladder_job
    # The dummy scores the train prior on every row: ROC AUC is exactly 0.5.
    assert runs["dummy"].evaluation["roc_auc"] == pytest.approx(0.5)
    # The one-rule model finds the planted feature and says so in words.
    assert runs["one_rule"].details["rule_text"].count("signal") >= 1
    assert runs["one_rule"].evaluation["roc_auc"] > 0.85
    assert runs["gradient_boosting"].evaluation["roc_auc"] > 0.85
    # Stored predictions are evaluated by the same engine as uploads: AUC equals sklearn's.
    from apps.runs import storage

    frame = storage.read_predictions(runs["linear"].storage_key)
    assert runs["linear"].evaluation["roc_auc"] == pytest.approx(roc_auc_score(y, frame["score"]))
    assert runs["automl"].details["leaderboard"]
    robustness = runs["gradient_boosting"].details["robustness"]
    assert robustness["features"][0]["feature"] == "signal"
    test.refresh_from_db()
    assert test.evaluation_count == 1
    # The critical segment's column is carried over: per-city metrics on every baseline.
    cities = runs["linear"].segments["columns"][0]
    assert cities["column"] == "city"
    assert {row["value"] for row in cities["rows"]} == {"Oslo", "Lima", "Pune"}


def test_a_retried_job_reuses_the_runs_it_stored(ladder_job: Job, problem: Problem) -> None:
    from apps.core.jobs import Progress  # noqa: F401 - the handler's signature

    before = set(ModelRun.objects.values_list("pk", flat=True))
    result = baselines.baseline_train(job=ladder_job, progress=lambda *a: None)
    assert set(ModelRun.objects.values_list("pk", flat=True)) == before
    assert sorted(result["run_ids"]) == sorted(before)


def test_versions_of_another_problem_or_the_same_version_twice_are_refused(
    versions,
    problem: Problem,
    owner: User,
    team: Team,  # noqa: ANN001
) -> None:
    train, test = versions
    with pytest.raises(ValidationError) as same:
        baselines.baseline_train_start(
            problem=problem, user=owner, train_version=train, eval_version=train
        )
    assert "eval_version" in same.value.message_dict
    other = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Other",
        task_type="binary",
        target_column="churned",
        positive_label="yes",
    )
    with pytest.raises(ValidationError) as foreign:
        baselines.baseline_train_start(
            problem=other, user=owner, train_version=train, eval_version=test
        )
    assert "train_version" in foreign.value.message_dict
    assert not Job.objects.filter(kind="baseline_train").exists()


def test_a_missing_target_column_fails_the_job_with_a_readable_message(
    versions,
    problem: Problem,
    owner: User,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    Problem.objects.filter(pk=problem.pk).update(target_column="left_us")
    problem.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job = baselines.baseline_train_start(
            problem=problem,
            user=owner,
            train_version=versions[0],
            eval_version=versions[1],
            automl_budget_s=None,
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert "left_us" in job.error
    assert not ModelRun.objects.exists()


def test_an_external_reference_is_checked_and_joins_the_leaderboard(
    problem: Problem, owner: User
) -> None:
    with pytest.raises(ValidationError) as bad:
        baselines.reference_create(
            problem=problem,
            user=owner,
            name="Experts",
            reference_kind="human_expert",
            metrics={"roc_auc": {"value": 1.4}, "mae": {"value": 3}},
            source="audit",
        )
    assert set(bad.value.message_dict) == {"metrics.roc_auc.value", "metrics.mae"}
    with pytest.raises(ValidationError) as unsourced:
        baselines.reference_create(
            problem=problem,
            user=owner,
            name="Experts",
            reference_kind="human_expert",
            metrics={"roc_auc": {"value": 0.8, "low": 0.85, "high": 0.9}},
        )
    assert set(unsourced.value.message_dict) == {"source", "metrics.roc_auc.low"}
    run = baselines.reference_create(
        problem=problem,
        user=owner,
        name="Experts",
        reference_kind="human_expert",
        metrics={"roc_auc": {"value": 0.81, "low": 0.77, "high": 0.85}},
        source="2023 audit of 400 cases",
        sample_size=400,
    )
    board = leaderboard.leaderboard(problem)
    (entry,) = board["entries"]
    assert entry.run == run
    assert entry.value == pytest.approx(0.81)
    assert entry.interval["low"] == pytest.approx(0.77)


GATE_CASES = [
    # (gate kwargs, run value, baseline value, expected state)
    ({"threshold": 0.8}, 0.85, None, "ok"),
    ({"threshold": 0.8}, 0.8, None, "ok"),  # a tie passes
    ({"threshold": 0.8}, 0.79, None, "breach"),
    ({"baseline": "best_simple", "min_abs_change": 0.05}, 0.85, 0.80, "ok"),
    ({"baseline": "best_simple", "min_abs_change": 0.05}, 0.84, 0.80, "breach"),
    (
        {"baseline": "best_simple", "min_rel_change": 0.1, "mode": "non_inferiority"},
        0.75,
        0.80,
        "ok",
    ),
]


@pytest.mark.parametrize(("kwargs", "value", "base", "state"), GATE_CASES)
def test_gates_follow_the_rule_semantics_on_runs(
    problem: Problem, owner: User, kwargs: dict, value: float, base: float | None, state: str
) -> None:
    gate = leaderboard.gate_create(problem=problem, user=owner, metric="roc_auc", **kwargs)
    run = ModelRun(task="binary", evaluation={"roc_auc": value}, threshold=0.5, name="m")
    reference = ModelRun(
        task="binary",
        kind="baseline",
        baseline_key="linear",
        name="b",
        evaluation={"roc_auc": base},
        threshold=0.5,
    )
    (check,) = leaderboard.check_gates(run, [gate], [reference] if base is not None else [])
    assert check.state == state
    if state == "breach":
        assert "0.8" in check.sentence


def test_a_gate_on_negative_r2_uses_the_absolute_baseline(team: Team, owner: User) -> None:
    price = problem_services.problem_create(
        team=team, user=owner, source="web", title="Price", task_type="regression"
    )
    gate = leaderboard.gate_create(
        problem=price, user=owner, metric="r2", baseline="best_simple", min_rel_change=0.5
    )
    base = ModelRun(
        task="regression",
        kind="baseline",
        baseline_key="dummy",
        name="dummy",
        evaluation={"r2": -0.4},
        threshold=0.5,
    )
    ok = ModelRun(task="regression", evaluation={"r2": -0.2}, threshold=0.5, name="m")
    bad = ModelRun(task="regression", evaluation={"r2": -0.21}, threshold=0.5, name="m")
    assert leaderboard.check_gates(ok, [gate], [base])[0].state == "ok"
    assert leaderboard.check_gates(bad, [gate], [base])[0].state == "breach"


def test_invalid_gates_name_the_field(problem: Problem, owner: User) -> None:
    with pytest.raises(ValidationError) as exc:
        leaderboard.gate_create(
            problem=problem,
            user=owner,
            metric="roc_auc",
            baseline="best_simple",
            min_rel_change=1.5,
        )
    assert "min_rel_change" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        leaderboard.gate_create(problem=problem, user=owner, metric="rmse", threshold=1)
    assert "metric" in exc.value.message_dict


def test_the_leaderboard_ranks_gains_and_tests_a_model_against_the_best_simple_baseline(
    ladder_job: Job,
    problem: Problem,
    owner: User,
    owner_client: Client,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    frame = planted(400, 2)
    y = (frame["churned"] == "yes").to_numpy(dtype=int)
    perfect_ish = np.clip(0.9 * y + 0.05 + np.random.default_rng(5).normal(0, 0.05, 400), 0, 1)
    model = services.run_create_from_arrays(
        problem=problem, user=owner, name="candidate", y_true=y, scores=perfect_ish
    )
    leaderboard.gate_create(
        problem=problem, user=owner, metric="roc_auc", baseline="best_simple", min_abs_change=0.01
    )
    board = leaderboard.leaderboard(problem)
    reference = board["reference"]
    assert reference.baseline_key in ("dummy", "one_rule", "linear")
    assert board["entries"][0].run == model
    entry = board["entries"][0]
    expected_gain = (entry.value - board["reference_value"]) / (1 - board["reference_value"])
    assert entry.gain == pytest.approx(expected_gain)
    assert entry.gate_status == "ok"

    with django_capture_on_commit_callbacks(execute=True):
        page = owner_client.get(f"/runs/problems/{problem.pk}/leaderboard/")
    assert page.status_code == 200
    job = Job.objects.get(kind="leaderboard_verdicts")
    assert job.status == "succeeded", job.error
    verdict = job.result["verdicts"][str(model.pk)]
    # Hand-computed paired bootstrap on the same rows: the difference is clearly positive.
    from apps.runs import storage

    ref_scores = storage.read_predictions(reference.storage_key)["score"].to_numpy()
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(300):
        idx = rng.integers(0, 400, 400)
        diffs.append(
            roc_auc_score(y[idx], perfect_ish[idx]) - roc_auc_score(y[idx], ref_scores[idx])
        )
    low, high = np.percentile(diffs, [2.5, 97.5])
    assert verdict["estimate"] == pytest.approx(
        roc_auc_score(y, perfect_ish) - roc_auc_score(y, ref_scores), abs=1e-9
    )
    assert verdict["low"] == pytest.approx(low, abs=0.015)
    assert verdict["high"] == pytest.approx(high, abs=0.015)
    assert verdict["verdict"] == ("better" if low > 0 else "not distinguishable")
    body = owner_client.get(f"/runs/problems/{problem.pk}/leaderboard/").content.decode()
    assert f'id="entry-{model.pk}"' in body
    assert 'id="leaderboard-chart"' in body
    assert "gate-status" in body


def test_outsiders_get_404_and_viewers_cannot_train(
    problem: Problem, outsider_client: Client, viewer_client: Client
) -> None:
    for url in (
        f"/runs/problems/{problem.pk}/leaderboard/",
        f"/runs/problems/{problem.pk}/baselines/",
        f"/runs/problems/{problem.pk}/references/new/",
    ):
        assert outsider_client.get(url).status_code == 404
    assert viewer_client.get(f"/runs/problems/{problem.pk}/leaderboard/").status_code == 200
    assert viewer_client.get(f"/runs/problems/{problem.pk}/baselines/").status_code == 403


def test_a_regression_ladder_judged_by_mae_fits_the_median_dummy(
    team: Team,
    owner: User,
    owner_client: Client,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    import numpy as np

    price = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Price",
        task_type="regression",
        target_column="price",
        primary_metric="mae",
    )
    rng = np.random.default_rng(3)

    def frame(rows: int) -> pd.DataFrame:
        size = rng.uniform(20, 200, rows).round(1)
        return pd.DataFrame(
            {
                "size": size,
                "rooms": rng.integers(1, 6, rows),
                "price": (size * 3 + rng.exponential(40, rows)).round(2),
            }
        )

    from apps.datasets import services as dataset_services

    train, test = (
        dataset_services.dataset_version_create_from_frame(
            problem=price,
            user=owner,
            name=name,
            role=role,
            frame=frame(rows),
            filename=name,
        )
        for name, role, rows in (("train.csv", "train", 500), ("test.csv", "test", 300))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = baselines.baseline_train_start(
            problem=price,
            user=owner,
            train_version=train,
            eval_version=test,
            automl_budget_s=None,
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    runs = {r.baseline_key: r for r in ModelRun.objects.filter(problem=price)}
    assert runs["dummy"].task == "regression"
    assert runs["dummy"].details["params"].get("strategy") == "median"
    assert runs["linear"].evaluation["mae"] < runs["dummy"].evaluation["mae"]
    board = leaderboard.leaderboard(price)
    assert board["metric"].key == "mae"
    assert board["entries"][0].value <= board["entries"][-1].value
    # Paired verdicts on MAE (a row-weighted sum) against the best simple baseline.
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(f"/runs/problems/{price.pk}/leaderboard/")
    verdicts = Job.objects.get(kind="leaderboard_verdicts").result["verdicts"]
    boosting = verdicts[str(runs["gradient_boosting"].pk)]
    assert boosting["state"] == "tested"
    assert boosting["estimate"] == pytest.approx(
        runs["gradient_boosting"].evaluation["mae"] - board["reference_value"], abs=1e-9
    )


def test_an_experts_decisions_uploaded_as_a_reference_are_evaluated_and_not_gated(
    upload,
    problem: Problem,
    owner: User,  # noqa: ANN001
) -> None:
    from tests.runs.conftest import csv_file, predictions, run_of

    leaderboard.gate_create(problem=problem, user=owner, metric="roc_auc", threshold=0.99)
    job = upload(
        csv_file(predictions()),
        name="Senior agents",
        reference_kind="human_expert",
        source="Ops review, March",
    )
    run = run_of(job)
    assert run.kind == "external"
    assert run.details == {"reference_kind": "human_expert", "source": "Ops review, March"}
    assert run.evaluation["roc_auc"] is not None
    (entry,) = leaderboard.leaderboard(problem)["entries"]
    assert entry.run == run
    assert entry.gates == []
    assert leaderboard.run_gate_checks(run) is None


def test_cancelling_stops_the_ladder_between_models(
    versions,
    problem: Problem,
    owner: User,
    monkeypatch,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    from mlcore.baselines import ladder

    trained: list[str] = []
    original = dict(ladder.MODELS)

    def spy(name: str):  # noqa: ANN202
        def rung(prepared, **kwargs):  # noqa: ANN001, ANN202, ANN003
            trained.append(name)
            if name == "one_rule":  # the user presses Cancel while the one-rule model fits
                Job.objects.filter(kind="baseline_train").update(cancel_requested=True)
            return original[name](prepared, **kwargs)

        return rung

    for name in original:
        monkeypatch.setitem(ladder.MODELS, name, spy(name))
    with django_capture_on_commit_callbacks(execute=True):
        job = baselines.baseline_train_start(
            problem=problem,
            user=owner,
            train_version=versions[0],
            eval_version=versions[1],
            automl_budget_s=30,
        )
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert trained == ["dummy", "one_rule"]


def test_a_heavily_reused_test_set_is_flagged_where_results_are_compared(
    problem: Problem,
    owner: User,
    owner_client: Client,
    versions,  # noqa: ANN001
) -> None:
    test = versions[1]
    y = (planted(400, 2)["churned"] == "yes").to_numpy(dtype=int)
    rng = np.random.default_rng(0)
    runs = [
        services.run_create_from_arrays(
            problem=problem,
            user=owner,
            name=f"try-{i}",
            y_true=y,
            dataset_version=test,
            scores=np.clip(0.3 * y + rng.uniform(0, 0.7, 400), 0, 1),
        )
        for i in range(6)
    ]
    test.refresh_from_db()
    assert test.evaluation_count == 6
    body = owner_client.get(f"/runs/problems/{problem.pk}/leaderboard/").content.decode()
    assert "Test set reused 6 times." in body
    ids = ",".join(str(r.pk) for r in runs[:2])
    assert (
        "Test set reused 6 times."
        in owner_client.get(f"/runs/compare/?runs={ids}").content.decode()
    )
