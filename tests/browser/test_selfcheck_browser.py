"""The self-check as a person sees it: Chromium, the live server, Redis and a real worker."""

import io
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from apps.core.models import Job, JobStatus
from tests.conftest import ROOT, RedisServer, WorkerProcess

ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
JOB_URL = re.compile(r"/jobs/(?P<id>[0-9a-f-]{36})/$")
JOB_TIMEOUT = 60


def sign_in_as_demo(page: Page, base_url: str) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


# One read of the whole status region: separate reads could straddle an htmx swap.
READ_STATUS = """() => {
  const region = document.getElementById("job-status");
  return [
    region.dataset.status,
    region.querySelector("#job-percent").textContent.trim(),
    region.querySelector(".progress-bar").style.width,
  ];
}"""


def read_status(page: Page) -> tuple[str, int, str]:
    """(status, percent shown, progress-bar width) as the page shows them right now."""
    status, percent, width = page.evaluate(READ_STATUS)
    return status, int(percent.rstrip("%")), width.rstrip("%")


def explain(job_id: str, worker: WorkerProcess) -> str:
    job = Job.objects.filter(pk=job_id).first()
    state = f"status={job.status} progress={job.progress} message={job.message!r}" if job else ""
    return f"job {job_id}: {state}\n{worker.explain()}"


def watch_job_status(
    page: Page, *, job_id: str, worker: WorkerProcess
) -> list[tuple[str, int, str]]:
    """Sample the job page's status, percent and bar width until the job finishes."""
    finished = {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}
    seen: list[tuple[str, int, str]] = []
    deadline = time.monotonic() + JOB_TIMEOUT
    while not seen or seen[-1][0] not in finished:
        if worker.crashed():
            pytest.fail(
                f"The worker exited; the page showed {seen}\n{explain(job_id, worker)}",
                pytrace=False,
            )
        if time.monotonic() > deadline:
            pytest.fail(
                f"The job page did not finish within {JOB_TIMEOUT} s; it showed {seen}\n"
                + explain(job_id, worker),
                pytrace=False,
            )
        sample = read_status(page)
        if not seen or sample != seen[-1]:
            seen.append(sample)
        page.wait_for_timeout(100)
    return seen


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_a_self_check_started_from_the_dashboard_shows_live_progress_and_its_results(
    chromium_available: None,
    postgres_db: str,
    redis_server: RedisServer,
    use_real_broker: Callable[[str], None],
    celery_worker_factory: Callable[[str], WorkerProcess],
    live_server: LiveServer,
    page: Page,
) -> None:
    use_real_broker(redis_server.url)
    worker = celery_worker_factory(redis_server.url)
    sign_in_as_demo(page, live_server.url)

    page.click("#start-selfcheck")
    page.wait_for_url(JOB_URL)
    job_id = JOB_URL.search(page.url)["id"]
    expect(page.locator("#job-status-badge")).to_have_text("Queued")
    # Survives only if the page is never reloaded: every change must arrive by htmx.
    page.evaluate("window.pfSamePage = true")
    # The worker starts only once htmx has loaded, so the page sees the whole run: on a
    # slow machine parsing plotly.min.js delays htmx (and its polling) by seconds.
    page.wait_for_function("window.htmx !== undefined")
    worker.start()

    seen = watch_job_status(page, job_id=job_id, worker=worker)

    percents = [percent for _, percent, _ in seen]
    assert all(str(percent) == width for _, percent, width in seen), seen
    assert percents == sorted(percents), f"the bar went backwards: {seen}"
    assert seen[-1][:2] == ("succeeded", 100), seen
    assert any(status == "running" and 0 < percent < 100 for status, percent, _ in seen), (
        f"no progress seen while running: {seen}"
    )
    expect(page.locator("#job-status-badge")).to_have_text("Succeeded")
    bar = page.locator("#job-status .progress-bar").bounding_box()
    track = page.locator("#job-status .progress").bounding_box()
    assert bar["width"] == pytest.approx(track["width"], abs=2)
    result = page.locator("#selfcheck-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Out-of-fold ROC AUC")
    expect(result).to_contain_text("Yes")
    expect(result).to_contain_text("569 × 30")
    chart = page.locator("#selfcheck-folds-chart svg.main-svg").first
    expect(chart).to_be_visible(timeout=15_000)
    expect(page.locator("#selfcheck-folds-chart .bars .point")).to_have_count(5)
    assert page.evaluate("window.pfSamePage") is True, "the page was reloaded"

    ARTIFACTS.mkdir(exist_ok=True)
    # Tall enough for the whole page: a full-page capture beyond the viewport would cut
    # the fixed, viewport-high sidebar short.
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(ARTIFACTS / "selfcheck.png"), full_page=True)
    job = Job.objects.get(pk=job_id)
    assert job.status == JobStatus.SUCCEEDED
    assert job.created_by.username == "demo"


@pytest.mark.browser
def test_the_login_page_and_dashboard_load_only_local_resources_without_console_errors(
    chromium_available: None,
    live_server: LiveServer,
    page: Page,
) -> None:
    problems: list[str] = []
    foreign: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            problems.append(f"console {message.type}: {message.text} ({message.location})")

    def on_request(request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in {"data", "blob"} and parts.hostname not in LOCAL_HOSTS:
            foreign.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )

    sign_in_as_demo(page, live_server.url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#start-selfcheck")).to_be_visible()

    assert foreign == [], f"resources from other origins: {foreign}"
    assert problems == []
