"""A data scientist uploads predictions in Chromium, moves the threshold slider, saves it."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from sklearn.metrics import confusion_matrix, recall_score

from apps.accounts.models import Role
from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.conftest import ROOT, make_user

# Playwright's sync API keeps an event loop running in this thread (see tests/browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "test-artifacts"
ROWS = 400
CHOSEN = "0.35"


def fixed_predictions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """400 labels and 3-decimal scores: < 500 distinct scores, so the stored sweep is exact.

    Plus a country per row; in "FR" the scores are noise.
    """
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, ROWS)
    scores = np.clip(0.3 * y + rng.uniform(0, 0.7, ROWS), 0, 1).round(3)
    country = rng.choice(np.array(["DE", "FR", "US"], dtype=object), ROWS)
    scores[country == "FR"] = rng.uniform(0, 1, (country == "FR").sum()).round(3)
    return y, scores, country


def expected_at(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    tn, fp, fn, tp = confusion_matrix(y, (scores >= threshold).astype(int), labels=[0, 1]).ravel()
    # The churn problem's costs: a false positive 5, a false negative 50, no values.
    cost = (fp * 5 + fn * 50) / len(y)
    return {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp), "cost": cost}


def move_slider(page: Page, value: str) -> None:
    """Set the range input and fire the events its hx-trigger ("input changed") listens for."""
    with page.expect_response(lambda r: "/threshold/?t=" in r.url and f"t={value}" in r.url):
        page.locator("#threshold-slider").evaluate(
            """(el, value) => {
                el.value = value;
                el.dispatchEvent(new Event('input', {bubbles: true}));
                el.dispatchEvent(new Event('change', {bubbles: true}));
            }""",
            value,
        )


def expect_cells(page: Page, counts: dict) -> None:
    for cell in ("tn", "fp", "fn", "tp"):
        expect(page.locator(f"#cm-{cell}")).to_have_text(f"{cell.upper()} {counts[cell]:,}")
    expect(page.locator("#cost-per-decision")).to_have_text(f"{counts['cost']:.2f} USD")


@pytest.mark.browser
def upload_predictions(page: Page, base_url: str, problem: Problem, csv_path: Path) -> int:
    """Upload through the problem page's form; return the run id the finished job links to."""
    page.goto(f"{base_url}/problems/{problem.pk}/")
    page.click("#upload-predictions")
    page.set_input_files("#id_file", str(csv_path))
    expect(page.locator("#dropzone-label")).to_contain_text(csv_path.name)
    page.fill("#id_name", "gbm")
    page.fill("#id_model_version", "v3")
    page.fill("#id_segment_columns", "country")
    page.click("#upload-submit")
    # The form is replaced in place by the job's progress panel, then by its result.
    expect(page.locator("#job-status")).to_be_visible(timeout=15_000)
    expect(page.locator("#open-run")).to_be_visible(timeout=60_000)
    expect(page.locator("#run-evaluate-result")).to_contain_text(f"{ROWS} predictions")
    page.click("#open-run")
    page.wait_for_url("**/runs/*/")
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.browser
def test_a_data_scientist_uploads_moves_the_threshold_and_saves_it_with_a_reason(
    chromium_available: None,
    live_server,  # noqa: ANN001 - pytest-django's LiveServer
    page: Page,
    problem: Problem,
    tmp_path: Path,
) -> None:
    dana = make_user("dana", team=problem.team, role=Role.DATA_SCIENTIST)
    Problem.objects.filter(pk=problem.pk).update(critical_segments="country = FR")
    y, scores, country = fixed_predictions()
    csv_path = tmp_path / "gbm-v3-predictions.csv"
    pd.DataFrame(
        {"churned": np.where(y == 1, "yes", "no"), "score": scores, "country": country}
    ).to_csv(csv_path, index=False)
    at_default, at_chosen = expected_at(y, scores, 0.5), expected_at(y, scores, float(CHOSEN))
    assert at_default != at_chosen

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", "pw-dana")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    run_id = upload_predictions(page, live_server.url, problem, csv_path)
    run = ModelRun.objects.get(pk=run_id)
    assert (run.created_by, run.original_filename) == (dana, csv_path.name)
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.pfSamePage = true")
    expect(page.locator("#threshold-card")).to_contain_text("nobody has chosen a threshold yet")
    expect_cells(page, at_default)
    expect(page.locator("#segments-country tr.pf-weakest")).to_have_attribute("data-segment", "FR")
    expect(page.locator("#critical-1")).to_have_attribute("data-status", "failing")
    expect(page.locator("#segment-chart-country svg.main-svg").first).to_be_visible(timeout=15_000)

    move_slider(page, CHOSEN)
    expect(page.locator("#threshold-output")).to_have_text(CHOSEN)
    expect_cells(page, at_chosen)
    expect(page.locator("#threshold-form input[name=threshold]")).to_have_value(CHOSEN)
    assert page.evaluate("window.pfSamePage") is True, "the slider reloaded the page"

    page.fill("#id_reason", "recall matters more: a missed churner costs 10x")
    page.locator("#threshold-form button[type=submit]").click()
    card = page.locator("#threshold-card")
    expect(card).to_contain_text("Set to 0.350 by dana")
    expect(card).to_contain_text("“recall matters more: a missed churner costs 10x”")
    expect(page.locator("#threshold-slider")).to_have_value(CHOSEN)
    expect_cells(page, at_chosen)
    # The segment metrics follow the saved threshold: DE's recall as sklearn computes it.
    de = country == "DE"
    recall_de = recall_score(y[de], (scores[de] >= 0.35).astype(int))
    expect(page.locator("#segments-country tr[data-segment=DE] td").nth(5)).to_have_text(
        f"{recall_de:.3f}"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(ARTIFACTS / "run-threshold.png"), full_page=True)
    assert errors == []

    run = ModelRun.objects.select_related("threshold_set_by").get(pk=run.pk)
    assert (run.name, run.columns["segments"]) == ("gbm", ["country"])
    assert run.threshold == pytest.approx(0.35)
    assert run.threshold_set_by == dana
    assert run.threshold_reason == "recall matters more: a missed churner costs 10x"
    assert run.threshold_set_at is not None
