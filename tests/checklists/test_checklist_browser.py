"""A product manager answers checklists in Chromium and reads the rubric score off the page."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, Team
from apps.checklists.models import Answer, AnswerComment
from apps.problems import services as problem_services
from apps.problems.models import Problem, RevisionSource
from tests.conftest import ROOT, make_user

# Playwright's sync API keeps an event loop running in this thread (see tests/browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "test-artifacts"

# (item, score) clicks, section by section; the sums are worked out by hand below.
CLICKS = [
    ("data_schema", "1"),
    ("data_privacy", "0.5"),  # data 1.5
    ("model_spec_reviewed", "1"),
    ("model_simpler_baseline", "1"),  # model 2
    ("infra_reproducible", "1"),  # infrastructure 1
    ("monitor_dependencies", "0.5"),
    ("monitor_prediction_quality", "1"),  # monitoring 1.5
]


def click_score(page: Page, item: str, score: str) -> None:
    """Click one segment of an item's answer control and wait for htmx to swap it back."""
    row = page.locator(f"#item-{item}")
    with page.expect_response(lambda r: f"/items/{item}/" in r.url and r.request.method == "POST"):
        row.locator(f"label:text-is('{score}')").click()
    expect(page.locator(f"#item-{item} input[name=state][value='{score}']")).to_be_checked()
    expect(page.locator(f"#saved-{item}")).to_be_visible()


@pytest.mark.browser
def test_a_pm_answers_the_rubric_and_sees_the_hand_calculated_score(
    chromium_available: None,
    live_server,  # noqa: ANN001 - pytest-django's LiveServer
    page: Page,
    team: Team,
) -> None:
    pm = make_user("pam", team=team, role=Role.PM)
    problem = problem_services.problem_create(
        team=team,
        user=pm,
        source=RevisionSource.WEB,
        title="Card fraud holds",
        task_type="binary",
        positive_label="fraud",
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "pam")
    page.fill("#id_password", "pw-pam")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # The problem page's panel links to the three checklists.
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    panel = page.locator("#problem-checklists")
    expect(panel).to_contain_text("ML Test Score")
    panel.locator("#panel-ml_test_score").click()
    page.wait_for_url(f"**/checklists/problems/{problem.pk}/ml_test_score/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.pfSamePage = true")
    expect(page.locator("#final-score")).to_have_text("—")

    for item, score in CLICKS:
        click_score(page, item, score)
    # data 1.5, model 2, infrastructure 1, monitoring 1.5 → final = min = 1.
    expect(page.locator("#final-score")).to_have_text("1")
    expect(page.locator("#score-band")).to_have_text("Serious gaps likely")
    expect(page.locator("#section-sum-infrastructure")).to_have_text("1 / 7")
    expect(page.locator("#section-sums tr.pf-weakest")).to_have_count(1)

    # Strengthening the weakest section moves the score to the next lowest: 1.5.
    click_score(page, "infra_rollback", "1")
    expect(page.locator("#final-score")).to_have_text("1.5")
    expect(page.locator("#score-band")).to_have_text("First pass at production")
    expect(page.locator("#section-sums tr.pf-weakest")).to_have_count(2)
    expect(page.locator("#score-chart svg.main-svg").first).to_be_visible(timeout=15_000)

    # Evidence and a comment on one test, saved in place.
    row = page.locator("#item-infra_rollback")
    row.locator("summary", has_text="evidence").click()
    row.locator("input[name=evidence_text]").fill("Rollback drill every quarter")
    row.locator("button", has_text="Save answer").click()
    expect(page.locator("#evidence-infra_rollback")).to_contain_text("Rollback drill")
    # A link that is not a web address comes back in place with its message (a 422).
    row = page.locator("#item-infra_rollback")
    row.locator("summary", has_text="evidence").click()
    row.locator("input[name=evidence_url]").fill("see the wiki")
    row.locator("button", has_text="Save answer").click()
    expect(page.locator("#item-infra_rollback")).to_contain_text("must be a full web address")
    expect(page.locator("#item-infra_rollback input[name=evidence_url]")).to_have_value(
        "see the wiki"
    )
    row.locator("input[name=evidence_url]").fill("")
    row.locator("button", has_text="Save answer").click()
    expect(page.locator("#saved-infra_rollback")).to_be_visible()
    row = page.locator("#item-infra_rollback")
    row.locator("summary", has_text="Comment").click()
    row.locator("textarea[name=text]").fill("Last drill took 4 minutes.")
    row.locator("button", has_text="Post").click()
    expect(page.locator("#item-infra_rollback")).to_contain_text("Last drill took 4 minutes.")
    assert page.evaluate("window.pfSamePage") is True, "the page was reloaded"

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(ARTIFACTS / "checklist-ml-test-score.png"), full_page=True)

    # Back on Is-ML, the costs item follows the definition by itself.
    problem_services.problem_update(
        problem=problem,
        user=pm,
        source=RevisionSource.WEB,
        changes={"cost_fp": Decimal("4"), "cost_fn": Decimal("120")},
    )
    page.goto(f"{live_server.url}/checklists/problems/{problem.pk}/is_ml_right/")
    costs = page.locator("#item-error_costs")
    expect(costs).to_contain_text("automatic")
    expect(costs).to_contain_text("a false negative 120.00 USD")
    expect(costs.locator("input[value=yes]")).to_be_checked()

    # The problem list shows the headline of both checklists.
    page.goto(f"{live_server.url}/problems/")
    expect(page.locator(f"#checklist-score-{problem.pk}")).to_have_text(
        "Is-ML 1/12 · Test score 1.5"
    )
    assert errors == []
    rollback = Answer.objects.get(item__key="infra_rollback", checklist__problem=problem)
    assert (rollback.state, rollback.answered_by.username) == ("1", "pam")
    assert AnswerComment.objects.get().author.username == "pam"
    assert Problem.objects.count() == 1
