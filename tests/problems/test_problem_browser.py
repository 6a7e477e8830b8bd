"""A product manager defines a problem in Chromium, section by section, to 100 %."""

import os

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, Team
from apps.problems.models import Problem
from tests.conftest import ROOT, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ARTIFACTS = ROOT / "test-artifacts"

# Every section, in order, as a PM would type it (selects by value).
SECTIONS = {
    "overview": {
        "summary": "Flag card payments likely to be fraud before they settle.",
        "desired_outcome": "Halve chargeback losses without annoying good customers.",
    },
    "decision": {
        "decision": "Hold the payment for manual review.",
        "affected_users": "Card holders, the review team, merchants.",
    },
    "task": {
        "target_column": "is_fraud",
        "primary_metric": "expected_cost",
        "metric_rationale": "A missed fraud costs the chargeback; a false hold costs review time.",
    },
    "costs": {
        "cost_fp": "4",
        "cost_fn": "120",
        "decisions_per_month": "200000",
        "positive_rate": "0.02",
    },
    "existing": {
        "existing_solution": "Forty hand-written rules.",
        "existing_performance": "Catches about half of fraud, flags 3 % of good payments.",
        "existing_tpr": "0.55",
        "existing_fpr": "0.03",
        "non_ml_mvp": "Hold first payments above 5,000 from new cards.",
    },
    "data": {
        "data_sources": "Payments ledger and the chargeback feed.",
        "label_availability": "Chargebacks arrive within 60 days.",
    },
    "fallback": {
        "fallback_kind": "human_review",
        "fallback_description": "Analysts review held payments.",
        "fallback_capacity_per_month": "3000",
        "fallback_cost_per_case": "6",
    },
    "ownership": {"critical_segments": "country = DE\nnew customers"},
}


def fill(page: Page, section: str, values: dict[str, str]) -> None:
    card = page.locator(f"#section-{section}")
    for name, value in values.items():
        field = card.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def save(page: Page, section: str) -> None:
    with page.expect_response(lambda r: f"/edit/{section}/" in r.url):
        page.locator(f"#section-{section} button[type=submit]").click()


@pytest.mark.browser
def test_a_pm_defines_a_problem_to_100_percent_and_reads_its_history(
    chromium_available: None,
    live_server,  # noqa: ANN001 - pytest-django's LiveServer
    page: Page,
    team: Team,
) -> None:
    make_user("pam", team=team, role=Role.PM)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "pam")
    page.fill("#id_password", "pw-pam")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("text=Define a problem")
    page.fill("#id_title", "Card fraud holds")
    page.select_option("#id_task_type", "binary")
    page.fill("#id_positive_label", "1")
    page.click("text=Create and continue")
    page.wait_for_url("**/edit/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.pfSamePage = true")
    start = int(page.locator("#completeness-percent").inner_text().rstrip("%"))
    assert 0 < start < 100
    expect(page.locator("#completeness-missing")).to_contain_text("Cost of a false positive")

    # A negative cost is refused next to its field, in place, and nothing is saved.
    fill(page, "costs", {**SECTIONS["costs"], "cost_fp": "-4"})
    save(page, "costs")
    expect(page.locator("#field-cost_fp")).to_contain_text("greater than or equal to 0")
    expect(page.locator("#section-costs")).to_contain_text("Not saved")
    assert Problem.objects.get().cost_fn is None

    percents = [start]
    for section, values in SECTIONS.items():
        fill(page, section, values)
        save(page, section)
        expect(page.locator(f"#saved-{section}")).to_be_visible()
        percents.append(int(page.locator("#completeness-percent").inner_text().rstrip("%")))
    assert percents == sorted(percents), percents
    expect(page.locator("#completeness-percent")).to_have_text("100%")
    expect(page.locator("#completeness-meter")).to_contain_text("Every required field is filled in")
    assert page.evaluate("window.pfSamePage") is True, "a section save reloaded the page"

    # The hub page prices deciding without ML from what was just typed.
    page.click("text=Done")
    expect(page.locator("#no-model-costs")).to_contain_text("Existing solution")
    expect(page.locator("#no-model-costs")).to_contain_text("cheapest")
    expect(page.locator("#no-model-chart svg.main-svg").first).to_be_visible(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(ARTIFACTS / "problem-detail.png"), full_page=True)

    page.click("text=History")
    history = page.locator("#revision-table")
    expect(history).to_contain_text("Cost of a false negative")
    expect(history).to_contain_text("pam")
    expect(history.locator(".pf-diff-added").first).to_be_visible()
    assert errors == []
