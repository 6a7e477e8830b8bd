"""The production stack definition and the project's one-command entry points."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose_config() -> dict:
    require(shutil.which("docker-compose") is not None, "docker-compose is not installed")
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "validate-only"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_defines_the_whole_production_stack(compose_config: dict) -> None:
    assert set(compose_config["services"]) >= {"web", "worker", "beat", "redis", "postgres"}


def test_compose_services_have_health_checks(compose_config: dict) -> None:
    services = compose_config["services"]
    for name in ("web", "worker", "redis", "postgres"):
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_compose_keeps_data_in_named_volumes(compose_config: dict) -> None:
    assert {"pgdata", "redisdata", "media"} <= set(compose_config["volumes"])
    mounts = compose_config["services"]["postgres"]["volumes"]
    # docker-compose v1 prints the short "source:target:mode" form.
    targets = [m["target"] if isinstance(m, dict) else m.split(":")[1] for m in mounts]
    assert "/var/lib/postgresql/data" in targets


def test_compose_runs_production_settings(compose_config: dict) -> None:
    for name in ("web", "worker", "beat"):
        env = compose_config["services"][name]["environment"]
        assert env["DEBUG"] == "false"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")


def test_compose_refuses_to_start_without_a_secret_key() -> None:
    require(shutil.which("docker-compose") is not None, "docker-compose is not installed")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    head = readme[:600]
    assert "make run" in head
    assert "make test" in head


def test_ci_entry_point_runs_make_test_in_ci_mode() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "CI=true make test" in script
