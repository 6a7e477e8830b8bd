"""mlcore.selfcheck: the end-to-end evaluation the self-check job runs."""

import json

import pytest

from mlcore.selfcheck import FOLDS, SelfCheckReport, run_self_check


@pytest.fixture(scope="module")
def run() -> tuple[SelfCheckReport, list[tuple[float, str]]]:
    reports: list[tuple[float, str]] = []
    report = run_self_check(lambda percent, message: reports.append((percent, message)))
    return report, reports


def test_progress_rises_monotonically_from_the_start_to_nearly_done(run: tuple) -> None:
    _, reports = run
    percents = [percent for percent, _ in reports]
    assert percents[0] <= 10
    assert percents[-1] >= 95
    assert percents == sorted(percents)
    assert all(0 <= p <= 100 for p in percents)
    assert all(message for _, message in reports)


def test_our_auc_agrees_with_sklearn_and_sits_inside_its_interval(run: tuple) -> None:
    report, _ = run
    assert report.agrees_with_sklearn is True
    assert report.oof_auc_low <= report.oof_auc <= report.oof_auc_high
    assert 0.9 < report.oof_auc <= 1.0
    assert len(report.fold_auc) == FOLDS


def test_the_report_describes_the_dataset(run: tuple) -> None:
    report, _ = run
    assert (report.rows, report.features, report.missing_cells) == (569, 30, 0)
    assert 0.6 < report.positive_share < 0.65


def test_the_report_serialises_to_json_with_the_agreement_flag(run: tuple) -> None:
    report, _ = run
    data = json.loads(json.dumps(report.to_dict()))
    assert data["agrees_with_sklearn"] is True
    assert data["oof_auc"] == report.oof_auc
    assert data["step_seconds"]
    assert [row["step"] for row in data["step_seconds"]] == [
        "load",
        "profile",
        "cross-validation",
        "bootstrap",
    ]
    assert all(row["seconds"] >= 0 for row in data["step_seconds"])


def test_the_same_seed_gives_the_same_numbers(run: tuple) -> None:
    report, _ = run
    again = run_self_check(seed=0)
    assert again.fold_auc == report.fold_auc
    assert (again.oof_auc_low, again.oof_auc_high) == (report.oof_auc_low, report.oof_auc_high)
