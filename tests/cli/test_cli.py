"""The `preflight` command against a live server."""

import json

import pytest

from apps.accounts.models import Team, User
from apps.core.models import Job, JobStatus
from cli.main import main


@pytest.fixture
def cli_env(live_server, owner_token: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    monkeypatch.setenv("PREFLIGHT_URL", live_server.url)
    monkeypatch.setenv("PREFLIGHT_TOKEN", owner_token)
    return live_server.url


def test_me_prints_the_tokens_user_and_team(cli_env: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["me"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["username"] == "olivia"
    assert out["team"]["slug"] == "fraud"


def test_a_bad_token_exits_1_with_the_servers_reason(
    cli_env: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--token", "pft_nope_nope", "me"]) == 1
    assert "Error 401" in capsys.readouterr().err


def test_missing_token_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.delenv("PREFLIGHT_TOKEN", raising=False)
    assert main(["me"]) == 2
    assert "PREFLIGHT_TOKEN" in capsys.readouterr().err


def test_jobs_wait_returns_the_finished_job(
    cli_env: str, team: Team, owner: User, capsys: pytest.CaptureFixture
) -> None:
    job = Job.objects.create(
        team=team, kind="selfcheck", title="t", status=JobStatus.SUCCEEDED, progress=100
    )
    assert main(["jobs", "wait", str(job.pk), "--interval", "0.1"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "succeeded"


def test_jobs_wait_exits_1_for_a_failed_job(
    cli_env: str, team: Team, capsys: pytest.CaptureFixture
) -> None:
    job = Job.objects.create(team=team, kind="selfcheck", title="t", status=JobStatus.FAILED)
    assert main(["jobs", "wait", str(job.pk), "--interval", "0.1"]) == 1


def test_another_teams_job_is_not_found(
    cli_env: str, other_team: Team, capsys: pytest.CaptureFixture
) -> None:
    job = Job.objects.create(team=other_team, kind="selfcheck", title="t")
    assert main(["jobs", "get", str(job.pk)]) == 1
    assert "Error 404" in capsys.readouterr().err
