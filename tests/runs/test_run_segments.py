"""Segment columns: per-segment metrics stored with a run, on its page and in the API."""

import numpy as np
import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.accounts.models import User
from apps.problems.models import Problem
from apps.runs import selectors, services
from apps.runs.models import ModelRun
from mlcore.evaluation.segments import segment_metrics
from tests.runs.conftest import csv_file, predictions, run_of


def with_countries(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    """The churn predictions plus a country; in "FR" the scores are noise."""
    frame = predictions(rows, seed)
    rng = np.random.default_rng(seed + 1)
    frame["country"] = rng.choice(["DE", "FR", "US"], rows)
    fr = (frame["country"] == "FR").to_numpy()
    frame.loc[fr, "score"] = rng.uniform(0, 1, fr.sum()).round(3)
    frame.loc[0, "country"] = "LU"  # a one-row segment
    return frame


def set_critical(problem: Problem, text: str) -> None:
    Problem.objects.filter(pk=problem.pk).update(critical_segments=text)


def test_an_upload_with_a_segment_column_stores_metrics_per_segment(upload) -> None:  # noqa: ANN001
    frame = with_countries()
    run = run_of(upload(csv_file(frame), segment_columns=" country , country"))
    assert run.columns["segments"] == ["country"]
    (column,) = run.segments["columns"]
    y = (frame["churned"] == "yes").to_numpy().astype(int)
    expected = segment_metrics(
        y,
        frame["score"].to_numpy(),
        frame["country"].to_numpy(),
        threshold=0.5,
        costs=services.decision_costs(run.problem),
    )
    assert column["rows"] == [row.to_dict() for row in expected]
    rows = {row["value"]: row for row in column["rows"]}
    assert rows["LU"]["n"] == 1
    assert rows["LU"]["roc_auc"] is None
    assert rows["FR"]["weakest"]
    assert run.segments["overall"]["n"] == 300
    assert run.segments["overall"]["roc_auc"] == pytest.approx(run.evaluation["roc_auc"])


def test_a_segment_column_missing_from_the_file_fails_the_job_without_a_run(upload) -> None:  # noqa: ANN001
    job = upload(csv_file(predictions()), segment_columns="country")
    assert job.status == "failed"
    assert "segment column “country” is not in the file" in job.error
    assert ModelRun.objects.count() == 0


def test_a_run_without_segment_columns_has_none(ready_run: ModelRun) -> None:
    assert ready_run.segments is None
    assert selectors.segment_report(ready_run) is None


def test_saving_a_threshold_recomputes_the_segment_metrics(upload, owner: User) -> None:  # noqa: ANN001
    run = run_of(upload(csv_file(with_countries()), segment_columns="country"))
    before = {r["value"]: r for r in run.segments["columns"][0]["rows"]}
    run = services.run_threshold_set(run=run, user=owner, threshold=0.3, reason="recall first")
    after = {r["value"]: r for r in run.segments["columns"][0]["rows"]}
    assert run.segments["threshold"] == 0.3
    assert after["DE"]["recall"] >= before["DE"]["recall"]
    assert after["DE"]["tp"] + after["DE"]["fp"] > before["DE"]["tp"] + before["DE"]["fp"]
    assert after["DE"]["roc_auc"] == before["DE"]["roc_auc"]


def test_critical_segments_are_checked_by_the_documented_rule(
    upload,  # noqa: ANN001
    problem: Problem,
) -> None:
    set_critical(problem, "country = FR\ncountry = DE\ncountry = LU\nplan = pro\nnew customers")
    run = run_of(upload(csv_file(with_countries()), segment_columns="country"))
    report = selectors.segment_report(run)
    status = {c["line"]: c["status"] for c in report["critical"]}
    assert status == {
        "country = FR": "failing",
        "country = DE": "checked",
        "country = LU": "unknown",
        "plan = pro": "missing",
        "new customers": "unparsed",
    }
    overall = report["overall"]["roc_auc"]
    fr = next(c["row"] for c in report["critical"] if c["line"] == "country = FR")
    assert fr["roc_auc_high"] < overall  # worse by more than its interval's half-width


def test_the_run_page_shows_the_segment_table_chart_and_critical_segments(
    owner_client: Client,
    upload,  # noqa: ANN001
    problem: Problem,
) -> None:
    set_critical(problem, "country = FR\nnew customers")
    run = run_of(upload(csv_file(with_countries()), segment_columns="country"))
    body = owner_client.get(f"/runs/{run.pk}/").content.decode()
    assert 'id="segments-card"' in body
    assert 'id="segment-chart-country"' in body
    assert 'class="segment-row pf-weakest table-warning" data-segment="FR"' in body
    assert body.count("segment-row") == 4
    assert 'data-status="failing"' in body
    assert "critical: failing" in body
    assert "not of the form “column = value”" in body


def test_the_upload_form_passes_segment_columns_on(
    owner_client: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/runs/problems/{problem.pk}/upload/",
            {"name": "gbm", "file": csv_file(with_countries()), "segment_columns": "country"},
        )
    assert response.status_code == 302
    assert ModelRun.objects.get().columns["segments"] == ["country"]


def test_the_api_takes_segment_columns_and_returns_the_segments(
    owner_api: Client, problem: Problem, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            f"/api/v1/problems/{problem.pk}/runs",
            {"name": "gbm", "file": csv_file(with_countries()), "segment_columns": "country"},
        )
    assert response.status_code == 202, response.content
    body = owner_api.get(f"/api/v1/runs/{ModelRun.objects.get().pk}").json()
    assert body["segments"]["columns"][0]["column"] == "country"
    assert {r["value"] for r in body["segments"]["columns"][0]["rows"]} == {"DE", "FR", "US", "LU"}


def test_too_many_segment_columns_are_refused() -> None:
    with pytest.raises(ValidationError, match="at most 5"):
        services.parse_segment_columns("a,b,c,d,e,f")


def test_runs_built_in_code_take_segments_too(problem: Problem, owner: User) -> None:
    frame = with_countries(120)
    y = (frame["churned"] == "yes").to_numpy().astype(int)
    run = services.run_create_from_arrays(
        problem=problem,
        user=owner,
        name="seeded",
        y_true=y,
        scores=frame["score"].to_numpy(),
        segments={"country": frame["country"].to_numpy()},
    )
    assert (run.name, run.original_filename) == ("seeded", "seeded.parquet")
    assert run.columns == {"y_true": "y_true", "score": "score", "segments": ["country"]}
    assert sum(row["n"] for row in run.segments["columns"][0]["rows"]) == 120
