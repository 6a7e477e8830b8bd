"""Training the baseline ladder as a person sees it: Chromium, Redis and a real worker."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from apps.problems.models import Problem
from apps.runs.models import ModelRun
from tests.browser.test_selfcheck_browser import (
    ARTIFACTS,
    JOB_URL,
    sign_in_as_demo,
    watch_job_status,
)
from tests.conftest import RedisServer, WorkerProcess

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]
RUNGS = {"dummy", "one_rule", "linear", "gradient_boosting", "automl"}


def test_a_data_scientist_trains_the_ladder_watches_it_and_reads_the_leaderboard(
    chromium_available: None,
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    live_server,  # noqa: ANN001
    page: Page,
) -> None:
    use_real_broker(redis_server.url)
    worker = celery_worker_factory(redis_server.url)
    sign_in_as_demo(page, live_server.url)
    # Start from a board without trained baselines: the seed's own ladder is removed.
    ModelRun.objects.filter(kind="baseline").delete()
    problem = Problem.objects.get(team__slug="demo")

    page.goto(f"{live_server.url}/runs/problems/{problem.pk}/leaderboard/")
    expect(page.locator("#no-reference")).to_be_visible()
    page.click("#train-baselines")
    expect(page.locator("#id_train_version option:checked")).to_contain_text("train")
    # Validation is offered first; the uploaded model was scored on test, so pair with it.
    expect(page.locator("#id_eval_version option:checked")).to_contain_text("validation")
    page.select_option("#id_eval_version", label="fna-test v1 (Test)")
    page.fill("#id_automl_budget_s", "5")
    page.fill("#id_exclude_columns", "case_id")
    page.click("#start-baselines")
    page.wait_for_url(JOB_URL)
    job_id = JOB_URL.search(page.url)["id"]
    page.wait_for_function("window.htmx !== undefined")
    worker.start()

    seen = watch_job_status(page, job_id=job_id, worker=worker)
    percents = [percent for _, percent, _ in seen]
    assert percents == sorted(percents), f"the bar went backwards: {seen}"
    assert seen[-1][:2] == ("succeeded", 100), seen
    assert any(status == "running" and 0 < p < 100 for status, p, _ in seen), seen
    result = page.locator("#baseline-train-result")
    expect(result).to_contain_text("5 baselines trained")
    expect(result).to_contain_text("AutoML-lite")

    page.click("#open-leaderboard")
    expect(page.locator("#reference-note")).to_contain_text("best simple baseline")
    # The paired verdicts are resampled by the worker; the table fills in without a reload.
    page.evaluate("window.pfSamePage = true")
    expect(page.locator("#leaderboard .verdict").first).to_be_visible(timeout=60_000)
    assert page.evaluate("window.pfSamePage") is True
    rows = page.locator("#leaderboard tbody tr")
    expect(rows).to_have_count(7)  # 5 baselines, the uploaded model, the published reference
    expect(page.locator("#leaderboard tr[data-kind=uploaded] .gate-status")).to_be_visible()
    expect(page.locator("#leaderboard-chart svg.main-svg").first).to_be_visible(timeout=15_000)
    stored = ModelRun.objects.filter(kind="baseline", job_id=job_id)
    assert set(stored.values_list("baseline_key", flat=True)) == RUNGS
    assert all(run.status == "ready" for run in stored)

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.screenshot(path=str(ARTIFACTS / "leaderboard.png"), full_page=True)
