"""Multiclass and regression runs: uploaded, validated with located errors, equal to sklearn."""

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from apps.accounts.models import Team, User
from apps.problems import services as problem_services
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.runs.conftest import csv_file, run_of

CLASSES = ["bird", "cat", "dog"]


@pytest.fixture
def multiclass(team: Team, owner: User) -> Problem:
    return problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Pets",
        task_type="multiclass",
        target_column="animal",
    )


@pytest.fixture
def regression(team: Team, owner: User) -> Problem:
    return problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Price",
        task_type="regression",
        target_column="price",
    )


def multiclass_frame(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, rows)
    logits = rng.normal(0, 1, (rows, 3))
    logits[np.arange(rows), y] += 1.2
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    frame = pd.DataFrame({"animal": np.array(CLASSES)[y]})
    for j, label in enumerate(CLASSES):
        frame[f"proba_{label}"] = p[:, j].round(6)
    frame["region"] = np.where(rng.random(rows) < 0.5, "north", "south")
    return frame


def regression_frame(rows: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    price = rng.gamma(3, 50, rows).round(2)
    return pd.DataFrame({"price": price, "prediction": (price + rng.normal(0, 20, rows)).round(2)})


def _proba(frame: pd.DataFrame) -> np.ndarray:
    p = frame[[f"proba_{c}" for c in CLASSES]].to_numpy()
    return p / p.sum(axis=1, keepdims=True)


def test_a_multiclass_upload_matches_sklearn_with_intervals(upload, multiclass) -> None:  # noqa: ANN001
    frame = multiclass_frame()
    run = run_of(upload(csv_file(frame), problem=multiclass, segment_columns="region"))
    y, p = frame["animal"].to_numpy(), _proba(frame)
    pred = np.array(CLASSES)[p.argmax(axis=1)]
    ev = run.evaluation
    assert run.task == "multiclass"
    assert run.columns["proba"] == {c: f"proba_{c}" for c in CLASSES}
    assert ev["labels"] == CLASSES
    assert ev["accuracy"] == pytest.approx(skm.accuracy_score(y, pred), abs=1e-9)
    assert ev["macro_f1"] == pytest.approx(skm.f1_score(y, pred, average="macro"), abs=1e-9)
    assert ev["weighted_f1"] == pytest.approx(skm.f1_score(y, pred, average="weighted"), abs=1e-9)
    assert ev["log_loss"] == pytest.approx(skm.log_loss(y, p, labels=CLASSES), abs=1e-9)
    assert ev["roc_auc_ovr_macro"] == pytest.approx(
        skm.roc_auc_score(y, p, multi_class="ovr", labels=CLASSES), abs=1e-9
    )
    assert ev["confusion_matrix"] == skm.confusion_matrix(y, pred, labels=CLASSES).tolist()
    acc = run.intervals["accuracy"]
    assert acc["low"] < ev["accuracy"] < acc["high"]
    # Per-region accuracy and macro F1, equal to sklearn's on each region's rows.
    (regions,) = run.segments["columns"]
    assert regions["column"] == "region"
    for row in regions["rows"]:
        mask = (frame["region"] == row["value"]).to_numpy()
        assert row["n"] == mask.sum()
        assert row["metrics"]["accuracy"] == pytest.approx(
            skm.accuracy_score(y[mask], pred[mask]), abs=1e-12
        )
        assert row["metrics"]["macro_f1"] == pytest.approx(
            skm.f1_score(y[mask], pred[mask], average="macro"), abs=1e-12
        )
    assert sum(row["weakest"] for row in regions["rows"]) == 1


def test_predicted_classes_alone_give_argmax_metrics_and_say_why_log_loss_is_missing(
    upload,
    multiclass,  # noqa: ANN001
) -> None:
    frame = multiclass_frame()
    frame = pd.DataFrame(
        {"animal": frame["animal"], "predicted": np.array(CLASSES)[_proba(frame).argmax(axis=1)]}
    )
    run = run_of(upload(csv_file(frame), problem=multiclass))
    assert run.columns == {"y_true": "animal", "predicted": "predicted"}
    assert run.evaluation["accuracy"] == pytest.approx(
        skm.accuracy_score(frame["animal"], frame["predicted"])
    )
    assert run.evaluation["log_loss"] is None
    assert "predicted classes" in run.evaluation["undefined"]["log_loss"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda f: f.__setitem__("animal", f["animal"].where(f.index != 4, "fish")),
            "Line 6, column “animal”: “fish” is not one of the classes",
        ),
        (
            lambda f: f.__setitem__("proba_cat", f["proba_cat"].where(f.index != 2, 0.9)),
            "Line 4: the class probabilities",
        ),
        (
            lambda f: f.__setitem__("proba_dog", f["proba_dog"].where(f.index != 7, np.nan)),
            "Line 9, column “proba_dog”: the probability is missing",
        ),
        (
            lambda f: f.__setitem__(
                "proba_dog", f["proba_dog"].astype(object).where(f.index != 0, "high")
            ),
            "Line 2, column “proba_dog”: “high” is not a number",
        ),
    ],
    ids=["unknown-class", "rows-not-summing-to-one", "nan", "text"],
)
def test_bad_multiclass_files_are_refused_naming_line_and_column(
    upload,
    multiclass,
    change,
    expected,  # noqa: ANN001
) -> None:
    frame = multiclass_frame()
    change(frame)
    job = upload(csv_file(frame), problem=multiclass)
    assert job.status == "failed"
    assert expected in job.error
    assert not ModelRun.objects.exists()


def test_a_regression_upload_matches_sklearn(upload, regression) -> None:  # noqa: ANN001
    frame = regression_frame()
    run = run_of(upload(csv_file(frame), problem=regression))
    y, f = frame["price"], frame["prediction"]
    ev = run.evaluation
    assert run.columns == {"y_true": "price", "prediction": "prediction"}
    assert ev["mae"] == pytest.approx(skm.mean_absolute_error(y, f), abs=1e-9)
    assert ev["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, f)), abs=1e-9)
    assert ev["r2"] == pytest.approx(skm.r2_score(y, f), abs=1e-9)
    assert ev["mape"] == pytest.approx(skm.mean_absolute_percentage_error(y, f), abs=1e-9)
    assert ev["residual_quantiles"]["p50"] == pytest.approx(np.quantile(f - y, 0.5))
    assert run.intervals["rmse"]["low"] < ev["rmse"] < run.intervals["rmse"]["high"]
    assert len(ev["scatter"]["y_true"]) == len(frame)


def test_a_zero_truth_makes_mape_undefined_with_the_row(upload, regression) -> None:  # noqa: ANN001
    frame = regression_frame()
    frame.loc[9, "price"] = 0
    run = run_of(upload(csv_file(frame), problem=regression))
    assert run.evaluation["mape"] is None
    assert "row 9" in run.evaluation["undefined"]["mape"]


def test_a_non_numeric_prediction_is_refused_naming_the_line(upload, regression) -> None:  # noqa: ANN001
    frame = regression_frame().astype({"prediction": object})
    frame.loc[2, "prediction"] = "about 40"
    job = upload(csv_file(frame), problem=regression)
    assert job.status == "failed"
    assert "Line 4, column “prediction”: “about 40” is not a number" in job.error


def test_the_run_page_shows_each_task_its_own_charts(
    upload,
    multiclass,
    regression,
    owner_client,  # noqa: ANN001
) -> None:
    mc = run_of(upload(csv_file(multiclass_frame()), problem=multiclass, segment_columns="region"))
    rg = run_of(upload(csv_file(regression_frame()), problem=regression))
    page = owner_client.get(f"/runs/{mc.pk}/").content.decode()
    assert 'id="multiclass-confusion-chart"' in page
    assert 'id="per-class-table"' in page
    assert 'id="task-segments-region"' in page
    assert 'id="task-segment-chart-region"' in page
    assert "threshold-slider" not in page
    page = owner_client.get(f"/runs/{rg.pk}/").content.decode()
    assert 'id="scatter-chart"' in page
    assert 'id="residual-chart"' in page
    assert "R²" in page
    assert owner_client.get(f"/runs/{rg.pk}/threshold/?t=0.3").status_code == 302


def test_regression_segments_flag_the_segment_with_the_largest_rmse(upload, regression) -> None:  # noqa: ANN001
    frame = regression_frame(rows=600)
    rng = np.random.default_rng(4)
    frame["city"] = rng.choice(["Lyon", "Nice"], len(frame))
    nice = frame["city"] == "Nice"
    frame.loc[nice, "prediction"] += rng.normal(0, 60, nice.sum()).round(2)
    regression.critical_segments = "city = Nice\ncity = Lyon\nage < 40"
    regression.save(update_fields=["critical_segments"])
    run = run_of(upload(csv_file(frame), problem=regression, segment_columns="city"))
    rows = {row["value"]: row for row in run.segments["columns"][0]["rows"]}
    from apps.runs.selectors import task_segment_report

    critical = {c["line"]: c["status"] for c in task_segment_report(run)["critical"]}
    assert critical == {"city = Nice": "failing", "city = Lyon": "checked", "age < 40": "unparsed"}
    assert rows["Nice"]["weakest"]
    assert not rows["Lyon"]["weakest"]
    mask = nice.to_numpy()
    assert rows["Nice"]["metrics"]["rmse"] == pytest.approx(
        np.sqrt(skm.mean_squared_error(frame["price"][mask], frame["prediction"][mask]))
    )
