"""The `preflight` command: talks to the JSON API with PREFLIGHT_URL and PREFLIGHT_TOKEN.

    preflight me                      who the token acts for
    preflight jobs get JOB_ID         a background job's state
    preflight jobs wait JOB_ID        poll until the job ends (exit 1 if it failed)
    preflight datasets upload PROBLEM_ID FILE --name NAME --role ROLE [--wait]
    preflight datasets get VERSION_ID a dataset version with its profile and warnings

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
    if not args.wait:
        _print(accepted)
        return 0
    args.job_id = accepted["job_id"]
    return cmd_jobs_wait(client, args)


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
