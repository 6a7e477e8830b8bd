"""Uploading data as a data scientist sees it: Chromium, live server, Redis, a real worker."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from apps.dashboard.management.commands.seed_demo import demo_splits
from apps.problems.models import Problem
from tests.browser.test_selfcheck_browser import ARTIFACTS, sign_in_as_demo
from tests.conftest import RedisServer, WorkerProcess

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def _upload(page: Page, base_url: str, csv_path: Path, *, name: str) -> None:
    problem = Problem.objects.get(team__slug="demo")
    page.goto(f"{base_url}/problems/{problem.pk}/")
    page.click("#upload-dataset")
    page.set_input_files("#id_file", str(csv_path))
    expect(page.locator("#dropzone-label")).to_contain_text(csv_path.name)
    page.fill("#id_name", name)
    page.select_option("#id_role", "train")
    page.evaluate("window.pfSamePage = true")
    page.click("#upload-submit")
    # The form is replaced in place by the job's progress panel, then by its result.
    expect(page.locator("#job-status")).to_be_visible(timeout=15_000)
    expect(page.locator("#open-version")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.pfSamePage") is True, "the upload page was reloaded"
    page.click("#open-version")
    page.wait_for_url("**/datasets/versions/*/")


def test_an_uploaded_file_is_profiled_with_warnings_and_charts(
    chromium_available: None,
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    live_server,  # noqa: ANN001
    page: Page,
    tmp_path: Path,
) -> None:
    use_real_broker(redis_server.url)
    celery_worker_factory(redis_server.url).start()
    sign_in_as_demo(page, live_server.url)
    frame = demo_splits()["train"]
    frame.loc[::9, "mean_texture"] = None  # some gaps, so the missingness chart has a story
    path = tmp_path / "fna_new_batch.csv"
    frame.to_csv(path, index=False)

    _upload(page, live_server.url, path, name="fna-new")

    expect(page.locator("#column-table")).to_contain_text("mean_texture")
    expect(page.locator("#version-warnings")).to_contain_text("Identifier-like column")
    expect(page.locator("#missing-chart svg.main-svg").first).to_be_visible(timeout=15_000)
    expect(page.locator("#target-balance-chart svg.main-svg").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dataset-profile.png"), full_page=True)


def test_a_leaked_feature_is_called_out_on_the_profile(
    chromium_available: None,
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    live_server,  # noqa: ANN001
    page: Page,
    tmp_path: Path,
) -> None:
    use_real_broker(redis_server.url)
    celery_worker_factory(redis_server.url).start()
    sign_in_as_demo(page, live_server.url)
    frame = demo_splits()["train"]
    # Recorded after the diagnosis: a perfect predictor that will not exist at decision time.
    frame["referred_to_oncology"] = frame["malignant"]
    path = tmp_path / "fna_with_leak.csv"
    frame.to_csv(path, index=False)

    _upload(page, live_server.url, path, name="fna-leaky")

    leak = page.locator('.pf-warning[data-code="target_leakage"]')
    expect(leak).to_be_visible()
    expect(leak).to_contain_text("referred_to_oncology")
    expect(leak.locator(".badge")).to_have_text("critical")
