"""In Chromium: a production batch that breaks a threshold turns the dashboard card red
without a reload (htmx polling), and the monitor page marks the breach on its chart."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from apps.monitors.models import Monitor
from tests.conftest import ROOT

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "test-artifacts"
RED = "rgb(214, 57, 57)"


def breaking_batch(path: Path) -> Path:
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, 300)
    score = rng.uniform(0, 1, 300).round(4)  # noise: ROC AUC near 0.5
    pd.DataFrame({"churned": np.where(y == 1, "yes", "no"), "score": score}).to_csv(
        path, index=False
    )
    return path


@pytest.mark.browser
def test_a_breaking_batch_turns_the_card_red_live_and_the_chart_marks_it(
    chromium_available: None,
    live_server,  # noqa: ANN001 - pytest-django's LiveServer
    page: Page,
    make_monitor,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from apps.dashboard import views as dashboard_views

    monkeypatch.setattr(dashboard_views, "POLL_SECONDS", 1)
    monitor: Monitor = make_monitor(name="ROC AUC floor", threshold=0.9, warning_band=0.02)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "olivia")
    page.fill("#id_password", "pw-olivia")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    card = page.locator(f"#problem-card-{monitor.problem_id}")
    expect(card).to_have_attribute("data-state", "ok")
    page.evaluate("window.pfSamePage = true")

    # A teammate's tab uploads the batch; the dashboard tab stays open.
    upload = page.context.new_page()
    upload.goto(f"{live_server.url}/monitors/{monitor.pk}/batches/new/")
    upload.set_input_files("#id_file", str(breaking_batch(tmp_path / "week-48.csv")))
    upload.fill("#id_label", "week 48")
    upload.click("#upload-submit")
    expect(upload.locator("#batch-states")).to_contain_text("ROC AUC floor", timeout=60_000)
    expect(upload.locator("#batch-states .pf-state-breach")).to_be_visible()

    expect(card).to_have_attribute("data-state", "breach", timeout=15_000)
    expect(card.locator(f"#card-monitor-{monitor.pk} .pf-dot-breach")).to_be_visible()
    assert page.evaluate("window.pfSamePage") is True, "the dashboard reloaded"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "dashboard-breach.png"), full_page=True)

    page.click(f"#card-monitor-{monitor.pk}")
    page.wait_for_url(f"**/monitors/{monitor.pk}/")
    expect(page.locator("#history-chart svg.main-svg").first).to_be_visible(timeout=15_000)
    expect(page.locator("#breach-count")).to_have_text("1 breach")
    red_points = page.evaluate(
        """(red) => Array.from(document.querySelectorAll('#history-chart .point'))
                 .filter(p => p.style.fill === red).length""",
        RED,
    )
    assert red_points == 1
    expect(page.locator("#check-table")).to_contain_text("is below the threshold 0.9")
    page.screenshot(path=str(ARTIFACTS / "monitor-detail.png"), full_page=True)
    assert errors == []
