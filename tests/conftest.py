"""Shared fixtures: personas (owner / teammate / viewer / outsider), API clients, and the
real services some tests need (PostgreSQL, redis-server, a Celery worker, Chromium).

A test that needs a missing service skips with the reason locally; with CI=true it fails,
because in CI nothing may silently skip.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.models import Role, Team, User

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require(available: bool, reason: str) -> None:
    """Skip with a clear reason locally; fail in CI, where every service must be present."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


# --- personas -----------------------------------------------------------------------


def make_user(username: str, *, team: Team | None = None, role: str = Role.OWNER) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if team is not None:
        account_services.membership_set(team=team, user=user, role=role)
    return user


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="Fraud squad", slug="fraud")


@pytest.fixture
def other_team(db: None) -> Team:
    return Team.objects.create(name="Other team", slug="other")


@pytest.fixture
def owner(team: Team) -> User:
    return make_user("olivia", team=team, role=Role.OWNER)


@pytest.fixture
def teammate(team: Team) -> User:
    return make_user("tariq", team=team, role=Role.DATA_SCIENTIST)


@pytest.fixture
def viewer(team: Team) -> User:
    return make_user("vera", team=team, role=Role.VIEWER)


@pytest.fixture
def outsider(other_team: Team) -> User:
    return make_user("oscar", team=other_team, role=Role.OWNER)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner: User) -> Client:
    return logged_in(owner)


@pytest.fixture
def teammate_client(teammate: User) -> Client:
    return logged_in(teammate)


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    return logged_in(viewer)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return logged_in(outsider)


def api_client(token: str) -> Client:
    """A test client that sends `Authorization: Bearer <token>` on every request."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def owner_token(owner: User, team: Team) -> str:
    return account_services.api_token_create(
        user=owner, team=team, name="test", read_only=False
    ).plaintext


@pytest.fixture
def owner_api(owner_token: str) -> Client:
    return api_client(owner_token)


# --- real services ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(  # noqa: ANN201
    condition: Callable[[], object],
    *,
    timeout: float,
    what: str,
    every: float = 0.1,
    explain: Callable[[], str] | None = None,
):
    """Poll until `condition()` is truthy; return its value or fail naming `what`.

    `explain()` (e.g. a worker's log) is appended to the failure so a CI timeout can be
    diagnosed from the report alone.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    message = f"Timed out after {timeout} s waiting for {what}"
    if explain is not None:
        message += "\n" + explain()
    pytest.fail(message, pytrace=False)


@pytest.fixture
def postgres_db(transactional_db: None) -> str:
    """The URL of the PostgreSQL test database, for processes outside the test."""
    require(
        connection.vendor == "postgresql",
        "these tests need PostgreSQL (set DATABASE_URL=postgres://...; SQLite in-memory "
        "databases cannot be shared with a worker process)",
    )
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class RedisServer:
    """A private redis-server on a free port that a test can stop and start again."""

    port: int
    workdir: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # A PONG from someone else's server on a recycled port must not count as ours.
        wait_for(
            lambda: self.process is not None and self.process.poll() is None and self.ping(),
            timeout=10,
            what=f"redis-server on port {self.port}",
        )

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A started private Redis (tests may stop/start it to simulate an outage)."""
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(port=free_port(), workdir=tempfile.mkdtemp(prefix="pf-redis-"))
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.workdir, ignore_errors=True)


@pytest.fixture
def use_real_broker() -> Iterator[Callable[[str], None]]:
    """Make this process publish to a real broker instead of running tasks eagerly."""
    from config.celery import app

    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }

    def switch(broker_url: str) -> None:
        app.conf.update(
            broker_url=broker_url,
            task_always_eager=False,
            broker_transport_options={"visibility_timeout": 7200},
        )
        _reset_broker_pools(app)

    yield switch
    app.conf.update(saved)
    _reset_broker_pools(app)


def _reset_broker_pools(app) -> None:  # noqa: ANN001
    # Celery caches its connection and producer pools on first use; a new broker URL
    # only takes effect once they are dropped. kombu also keeps them in global registries
    # keyed by URL: a closed pool left there would be handed back (and refuse to work)
    # the next time a test switches to the same URL, so the registries are cleared too.
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@dataclass
class WorkerProcess:
    """A real `celery worker -B` process (own process group, so SIGKILL takes all of it)."""

    env: dict
    log_path: Path
    process: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)
    ended_on_purpose: bool = False

    def start(self) -> None:
        log = self.log_path.with_suffix(f".{len(self.logs)}.log")
        self.logs.append(log)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-B",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-s",
            str(self.log_path.parent / "beat-schedule"),
        ]
        self.ended_on_purpose = False
        # The child keeps its own copy of the descriptor; ours is closed at once.
        with log.open("w") as log_file:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the whole worker: main process, pool child and embedded beat."""
        self.ended_on_purpose = True
        self._signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None:
            return
        self.ended_on_purpose = True
        # Signal the group even when the main process is gone: an orphaned pool child or
        # beat process would otherwise keep consuming from the broker after the test.
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self.kill()

    def _signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def crashed(self) -> bool:
        """True when the worker exited without being stopped (e.g. an import error)."""
        return (
            self.process is not None
            and self.process.poll() is not None
            and not self.ended_on_purpose
        )

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs if path.exists())

    def explain(self) -> str:
        """The worker's log, for a failure message."""
        return f"--- worker log ({self.log_path.name}) ---\n{self.output()}"


@pytest.fixture
def celery_worker_factory(
    postgres_db: str, tmp_path: Path
) -> Iterator[Callable[[str], WorkerProcess]]:
    """Build (not start) worker processes bound to the test database and a broker URL."""
    workers: list[WorkerProcess] = []

    def make(broker_url: str) -> WorkerProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": postgres_db,
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            # The web side's var dir: web and worker share file storage, as in production.
            "PREFLIGHT_VAR_DIR": str(django_settings.VAR_DIR),
            "DEBUG": "true",
            "JOB_HEARTBEAT_SECONDS": "1",
            "JOB_STALE_AFTER_SECONDS": "4",
            "JOB_RELAY_INTERVAL_SECONDS": "1",
            "JOB_SWEEP_INTERVAL_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
            # Importing Django, Celery and scikit-learn from source takes ~10 s on a slow
            # machine; cached bytecode (outside the tree) halves each later worker start.
            "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "preflight-pycache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        worker = WorkerProcess(env=env, log_path=tmp_path / f"worker{len(workers)}")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's Chromium: no browser download is possible."""
    # Checked here, not only in `chromium_available`: this session fixture is set up
    # before any function fixture, and launching a missing binary would error, not skip.
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium_available() -> None:
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
