"""End to end, embedded default: upload 1M predictions over the API, a real worker evaluates.

Starts `celery -A config worker` on kombu's filesystem broker and gunicorn on a free port,
both with a scratch PREFLIGHT_VAR_DIR and SQLite (no DATABASE_URL, no CELERY_BROKER_URL);
migrates, seeds the demo, mints a token, then times
POST /api/v1/problems/{id}/runs → poll /api/v1/jobs/{id} until succeeded → GET /api/v1/runs/{id}.
Both processes are stopped on the way out, whatever happens.

python benchmarks/e2e_bench.py [--rows 1000000] [--keep]
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left."""
    if process is None:
        return
    for signum, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
            if signum == signal.SIGTERM:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                return


def request(url: str, token: str, *, body: bytes | None = None, ctype: str = "") -> tuple:
    headers = {"Authorization": f"Bearer {token}"}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")
    with urllib.request.urlopen(req, timeout=120) as response:
        return response.status, json.loads(response.read())


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
    )
    parts += [content, f"\r\n--{boundary}--\r\n".encode()]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def prediction_csv(rows: int) -> bytes:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, rows)
    score = np.clip(0.3 * y + rng.uniform(0, 0.7, rows), 0, 1)
    lines = np.char.add(np.char.add(y.astype(str), ","), np.char.mod("%.6f", score))
    return ("y_true,score\n" + "\n".join(lines.tolist()) + "\n").encode()


def wait_until(check, what: str, timeout: float, logs: list[Path]) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)
    raise SystemExit(f"Timed out waiting for {what}.\n{tails}")


def seconds_between(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch var dir")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="preflight-e2e-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PREFLIGHT_VAR_DIR": str(var_dir),
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = web = None
    worker_log, web_log = var_dir / "worker.log", var_dir / "web.log"
    timings: list[tuple[str, float]] = []
    try:
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        token = manage(env, "api_token", "create", "demo", "demo").strip().splitlines()[-1]
        problem_id = int(
            manage(
                env,
                "shell",
                "-c",
                "from apps.problems.models import Problem;"
                "print(Problem.objects.filter(task_type='binary').order_by('pk').first().pk)",
            )
            .strip()
            .splitlines()[-1]
        )
        timings.append(("setup: migrate + seed_demo + token", time.perf_counter() - started))

        started = time.perf_counter()
        worker = start(
            [PY, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env, worker_log,
        )  # fmt: skip
        web = start(
            [PY, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             "2", "--timeout", "300"],
            env, web_log,
        )  # fmt: skip

        def web_up() -> bool:
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
            except OSError:
                return False
            return True

        logs = [worker_log, web_log]
        wait_until(lambda: "ready." in worker_log.read_text(errors="replace"), "worker", 90, logs)
        wait_until(web_up, "gunicorn", 60, logs)
        timings.append(("start worker + gunicorn", time.perf_counter() - started))

        started = time.perf_counter()
        content = prediction_csv(args.rows)
        body, ctype = multipart({"name": "e2e-bench", "model_version": "1m"}, "e2e.csv", content)
        timings.append(
            (f"generate CSV ({len(content) / 1e6:.1f} MB)", time.perf_counter() - started)
        )

        t0 = time.perf_counter()
        status, accepted = request(
            f"{base}/api/v1/problems/{problem_id}/runs", token, body=body, ctype=ctype
        )
        t_posted = time.perf_counter()
        if status != 202:
            raise SystemExit(f"POST returned {status}: {accepted}")
        job_url = f"{base}/api/v1/jobs/{accepted['job_id']}"
        while True:
            _, job = request(job_url, token)
            if job["status"] in ("succeeded", "failed", "cancelled"):
                break
            if time.perf_counter() - t0 > TIMEOUT_SECONDS:
                raise SystemExit(f"job still {job['status']} after {TIMEOUT_SECONDS} s")
            time.sleep(POLL_SECONDS)
        t_done = time.perf_counter()
        if job["status"] != "succeeded":
            raise SystemExit(f"job {job['status']}: {job['error']}")
        _, run = request(f"{base}/api/v1/runs/{job['result']['run_id']}", token)
        t_end = time.perf_counter()
        if run["status"] != "ready" or run["rows"] != args.rows:
            raise SystemExit(f"unexpected run: status {run['status']}, rows {run['rows']}")

        queued = seconds_between(job["created_at"], job["started_at"])
        working = seconds_between(job["started_at"], job["finished_at"])
        timings += [
            ("POST upload → 202", t_posted - t0),
            ("  job queued → started (broker)", queued),
            ("  job started → finished (evaluate)", working),
            ("202 → poll sees succeeded", t_done - t_posted),
            ("GET run", t_end - t_done),
        ]  # fmt: skip
        total = t_end - t0
        print(f"End to end, {args.rows:,} rows, embedded mode (SQLite, filesystem broker)")
        print(f"{'step':<40} {'seconds':>9}")
        for label, value in timings:
            print(f"{label:<40} {'—' if value is None else f'{value:9.2f}':>9}")
        print(f"{'total POST → run read':<40} {total:9.2f}")
        print(f"ROC AUC {run['metrics']['roc_auc']:.4f}; run {run['id']}, job {job['id']}")
        print(f"RESULT e2e_1m_s={total:.2f}")
    finally:
        stop(web)
        stop(worker)
        if args.keep:
            print(f"kept {var_dir}", file=sys.stderr)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
