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


def test_datasets_upload_waits_for_the_profile_then_get_reads_it(
    cli_env: str,
    team: Team,
    owner: User,
    tmp_path,
    capsys: pytest.CaptureFixture,  # noqa: ANN001
) -> None:
    from apps.problems import services as problem_services

    problem = problem_services.problem_create(
        team=team, user=owner, source="web", title="P", task_type="binary",
        target_column="y", positive_label="1",
    )  # fmt: skip
    path = tmp_path / "train.csv"
    path.write_text("x,y\n1,0\n2,1\n3,0\n4,1\n")
    # Jobs run eagerly in tests, so the upload's job has finished when the API answers.
    args = ["datasets", "upload", str(problem.pk), str(path), "--name", "d", "--role", "train"]
    code = main([*args, "--wait", "--interval", "0.1"])
    job = json.loads(capsys.readouterr().out)
    assert code == 0, job
    assert job["status"] == "succeeded"
    assert main(["datasets", "get", str(job["result"]["version_id"])]) == 0
    version = json.loads(capsys.readouterr().out)
    assert version["rows"] == 4


def test_a_refused_upload_prints_the_field_errors(
    cli_env: str,
    team: Team,
    owner: User,
    tmp_path,
    capsys: pytest.CaptureFixture,  # noqa: ANN001
) -> None:
    from apps.problems import services as problem_services

    problem = problem_services.problem_create(
        team=team, user=owner, source="web", title="P", task_type="regression"
    )
    path = tmp_path / "model.csv"
    path.write_bytes(b"\x80\x04\x95 a pickle")
    assert (
        main(["datasets", "upload", str(problem.pk), str(path), "--name", "d", "--role", "train"])
        == 1
    )
    err = capsys.readouterr().err
    assert "Error 422" in err
    assert "file:" in err


def test_runs_upload_waits_and_leaderboard_check_fails_a_run_below_its_gate(
    cli_env: str,
    team: Team,
    owner: User,
    capsys: pytest.CaptureFixture,
    tmp_path,  # noqa: ANN001
) -> None:
    import numpy as np
    import pandas as pd

    from apps.problems import services as problem_services
    from apps.runs import leaderboard
    from apps.runs.models import ModelRun

    problem = problem_services.problem_create(
        team=team,
        user=owner,
        source="web",
        title="Churn",
        task_type="binary",
        positive_label="1",
    )
    leaderboard.gate_create(problem=problem, user=owner, metric="roc_auc", threshold=0.9)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    path = tmp_path / "preds.csv"
    pd.DataFrame({"y": y, "score": np.clip(0.2 * y + rng.uniform(0, 0.8, 300), 0, 1)}).to_csv(
        path, index=False
    )
    code = main(
        [
            "runs",
            "upload",
            str(problem.pk),
            str(path),
            "--name",
            "weak",
            "--wait",
            "--interval",
            "0.1",
        ]
    )
    assert code == 0, capsys.readouterr().err
    run = ModelRun.objects.get(name="weak")
    capsys.readouterr()
    assert main(["leaderboard", str(problem.pk), "--check", str(run.pk)]) == 1
    err = capsys.readouterr().err
    assert "breach" in err
    assert "below the threshold 0.9" in err
    assert main(["runs", "get", str(run.pk)]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["roc_auc"] < 0.9
