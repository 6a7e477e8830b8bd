"""The `preflight` command: talks to the JSON API with PREFLIGHT_URL and PREFLIGHT_TOKEN.

    preflight me                      who the token acts for
    preflight jobs get JOB_ID         a background job's state
    preflight jobs wait JOB_ID        poll until the job ends (exit 1 if it failed)
    preflight datasets upload PROBLEM_ID FILE --name NAME --role ROLE [--wait]
    preflight datasets get VERSION_ID a dataset version with its profile and warnings
    preflight runs upload PROBLEM_ID FILE --name NAME [--wait]
    preflight runs get RUN_ID         a run with its metrics and intervals
    preflight baselines train PROBLEM_ID --train VERSION_ID --eval VERSION_ID [--wait]
    preflight leaderboard PROBLEM_ID [--check RUN_ID]
                                      the board; with --check, exit 1 unless that run
                                      passes every gate (a CI step before shipping)

Standard library only, so a CI image needs nothing but this package.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

FINISHED = {"succeeded", "failed", "cancelled"}


class ApiError(Exception):
    def __init__(self, status: int, body: dict) -> None:
        self.status = status
        self.body = body
        super().__init__(body.get("detail", f"HTTP {status}"))


class Client:
    """Authenticated JSON requests against one Preflight server."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def get(self, path: str) -> dict:
        return self._request("GET", path)

    def post_multipart(self, path: str, fields: dict[str, str], file_path: Path) -> dict:
        """POST form fields and one file as multipart/form-data (standard library only)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        file_header = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(file_header.encode())
        parts.append(file_path.read_bytes())
        parts.append(f"\r\n--{boundary}--\r\n".encode())
        content_type = f"multipart/form-data; boundary={boundary}"
        return self._request("POST", path, b"".join(parts), content_type=content_type)

    def post_json(self, path: str, payload: dict) -> dict:
        body = json.dumps(payload).encode()
        return self._request("POST", path, body, content_type="application/json")

    def _request(
        self, method: str, path: str, body: bytes | None = None, *, content_type: str = ""
    ) -> dict:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            f"{self.base_url}/api/v1{path}", data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = {"detail": raw.decode(errors="replace")[:500] or exc.reason}
            raise ApiError(exc.code, payload) from exc


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, sort_keys=True))


def cmd_me(client: Client, args: argparse.Namespace) -> int:
    _print(client.get("/me"))
    return 0


def cmd_jobs_get(client: Client, args: argparse.Namespace) -> int:
    _print(client.get(f"/jobs/{args.job_id}"))
    return 0


def cmd_datasets_upload(client: Client, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    fields = {"name": args.name, "role": args.role}
    if args.period_start:
        fields["period_start"] = args.period_start
    if args.period_end:
        fields["period_end"] = args.period_end
    accepted = client.post_multipart(f"/problems/{args.problem_id}/datasets", fields, path)
    return _wait_or_print(client, args, accepted)


def cmd_datasets_get(client: Client, args: argparse.Namespace) -> int:
    _print(client.get(f"/datasets/{args.version_id}"))
    return 0


def cmd_jobs_wait(client: Client, args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    while True:
        job = client.get(f"/jobs/{args.job_id}")
        print(f"{job['status']:>9} {job['progress']:3d}%  {job['message']}", file=sys.stderr)
        if job["status"] in FINISHED:
            _print(job)
            return 0 if job["status"] == "succeeded" else 1
        if time.monotonic() > deadline:
            print(
                f"Gave up after {args.timeout} s; the job is still {job['status']}.",
                file=sys.stderr,
            )
            return 1
        time.sleep(args.interval)


def _wait_or_print(client: Client, args: argparse.Namespace, accepted: dict) -> int:
    if not args.wait:
        _print(accepted)
        return 0
    args.job_id = accepted["job_id"]
    return cmd_jobs_wait(client, args)


def cmd_runs_upload(client: Client, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    fields = {"name": args.name}
    for field in (
        "model_version",
        "y_true_column",
        "score_column",
        "proba_columns",
        "segment_columns",
        "notes",
    ):
        if getattr(args, field):
            fields[field] = getattr(args, field)
    if args.dataset_version:
        fields["dataset_version_id"] = str(args.dataset_version)
    accepted = client.post_multipart(f"/problems/{args.problem_id}/runs", fields, path)
    return _wait_or_print(client, args, accepted)


def cmd_runs_get(client: Client, args: argparse.Namespace) -> int:
    _print(client.get(f"/runs/{args.run_id}"))
    return 0


def cmd_baselines_train(client: Client, args: argparse.Namespace) -> int:
    payload = {
        "train_version_id": args.train,
        "eval_version_id": args.eval,
        "automl_budget_s": None if args.no_automl else args.automl_budget,
        "include_forest": args.forest,
        "exclude_columns": [c.strip() for c in (args.exclude or "").split(",") if c.strip()],
    }
    accepted = client.post_json(f"/problems/{args.problem_id}/baselines", payload)
    return _wait_or_print(client, args, accepted)


def cmd_leaderboard(client: Client, args: argparse.Namespace) -> int:
    board = client.get(f"/problems/{args.problem_id}/leaderboard")
    if args.check is None:
        _print(board)
        return 0
    entry = next((e for e in board["entries"] if e["run_id"] == args.check), None)
    if entry is None:
        print(f"Run {args.check} is not on this problem's leaderboard.", file=sys.stderr)
        return 2
    for gate in entry["gates"]:
        print(f"{gate['state']:>8}  {gate['sentence']}", file=sys.stderr)
    _print(entry)
    if entry["gate_status"] is None:
        print("The problem has no gates for this run to pass.", file=sys.stderr)
        return 0
    return 0 if entry["gate_status"] == "ok" else 1


def _add_wait(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--wait", action="store_true", help=f"wait for {what}")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--interval", type=float, default=1.0)


def _add_run_commands(commands: argparse._SubParsersAction) -> None:
    runs = commands.add_parser("runs", help="Model runs.").add_subparsers(
        dest="runs_command", required=True
    )
    upload = runs.add_parser("upload", help="Upload a prediction file as a run.")
    upload.add_argument("problem_id", type=int)
    upload.add_argument("file")
    upload.add_argument("--name", required=True, help="model name, e.g. gbm")
    upload.add_argument("--model-version", dest="model_version")
    upload.add_argument("--y-true-column", dest="y_true_column")
    upload.add_argument("--score-column", dest="score_column", help="score / prediction")
    upload.add_argument("--proba-columns", dest="proba_columns", help="multiclass: a,b,c")
    upload.add_argument("--segment-columns", dest="segment_columns", help="e.g. country,plan")
    upload.add_argument("--dataset-version", type=int, help="the version it was scored on")
    upload.add_argument("--notes")
    _add_wait(upload, "validation and evaluation")
    upload.set_defaults(handler=cmd_runs_upload)
    get_run = runs.add_parser("get", help="Show a run with its metrics and intervals.")
    get_run.add_argument("run_id", type=int)
    get_run.set_defaults(handler=cmd_runs_get)

    baselines = commands.add_parser("baselines", help="The baseline ladder.").add_subparsers(
        dest="baselines_command", required=True
    )
    train = baselines.add_parser("train", help="Train the ladder in a background job.")
    train.add_argument("problem_id", type=int)
    train.add_argument("--train", type=int, required=True, help="train version id")
    train.add_argument("--eval", type=int, required=True, help="evaluation version id")
    train.add_argument("--automl-budget", type=float, default=60.0, help="seconds")
    train.add_argument("--no-automl", action="store_true")
    train.add_argument("--forest", action="store_true", help="also a random forest")
    train.add_argument("--exclude", help="columns to leave out, e.g. id,created_at")
    _add_wait(train, "the ladder to finish")
    train.set_defaults(handler=cmd_baselines_train)

    board = commands.add_parser("leaderboard", help="A problem's leaderboard and gates.")
    board.add_argument("problem_id", type=int)
    board.add_argument("--check", type=int, metavar="RUN_ID", help="exit 1 unless it passes")
    board.set_defaults(handler=cmd_leaderboard)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="preflight", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("PREFLIGHT_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("PREFLIGHT_TOKEN", ""))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("me", help="Show the token's user, team and role.").set_defaults(
        handler=cmd_me
    )
    jobs = commands.add_parser("jobs", help="Background jobs.").add_subparsers(
        dest="jobs_command", required=True
    )
    get = jobs.add_parser("get", help="Show a job.")
    get.add_argument("job_id")
    get.set_defaults(handler=cmd_jobs_get)
    wait = jobs.add_parser("wait", help="Wait until a job ends.")
    wait.add_argument("job_id")
    wait.add_argument("--timeout", type=float, default=600)
    wait.add_argument("--interval", type=float, default=1.0)
    wait.set_defaults(handler=cmd_jobs_wait)
    datasets = commands.add_parser("datasets", help="Dataset versions.").add_subparsers(
        dest="datasets_command", required=True
    )
    upload = datasets.add_parser("upload", help="Upload a CSV or Parquet file as a version.")
    upload.add_argument("problem_id", type=int)
    upload.add_argument("file")
    upload.add_argument("--name", required=True, help="dataset name, e.g. payments")
    upload.add_argument(
        "--role",
        required=True,
        choices=["train", "validation", "test", "holdout", "reference", "production"],
    )
    upload.add_argument("--period-start", help="YYYY-MM-DD (production batches)")
    upload.add_argument("--period-end", help="YYYY-MM-DD (production batches)")
    upload.add_argument("--wait", action="store_true", help="wait for validation and profiling")
    upload.add_argument("--timeout", type=float, default=600)
    upload.add_argument("--interval", type=float, default=1.0)
    upload.set_defaults(handler=cmd_datasets_upload)
    get_version = datasets.add_parser("get", help="Show a version, its profile and warnings.")
    get_version.add_argument("version_id", type=int)
    get_version.set_defaults(handler=cmd_datasets_get)
    _add_run_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.token:
        print(
            "Set PREFLIGHT_TOKEN (or pass --token): create one under API tokens.", file=sys.stderr
        )
        return 2
    try:
        return args.handler(Client(args.url, args.token), args)
    except ApiError as exc:
        print(f"Error {exc.status}: {exc}", file=sys.stderr)
        for error in exc.body.get("errors", []):
            where = error.get("field") or error.get("column") or error.get("row") or ""
            print(f"  {where}: {error.get('message')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"Cannot reach {args.url}: {exc.reason}", file=sys.stderr)
        return 1


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
