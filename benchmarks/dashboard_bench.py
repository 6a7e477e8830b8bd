"""Team dashboard and monitor page at scale, on SQLite and PostgreSQL; re-checking monitors.

Seeds 200 problems, 5,000 runs, 1,000 monitors and 100,000 checks with bulk_create (runs
share one tiny evaluation), renders the dashboard and a monitor page N times through
Django's test client (full HTML, as a browser gets it), counts the SQL queries of both at
a small and at the large size, then re-checks all 1,000 monitors the way the worker does
(`services.monitor_check`, one Check row each, state moves under the row lock) and prints
the time per monitor. Each database runs in its own child process (settings are read at
import); PostgreSQL uses a fresh database at postgres://postgres@127.0.0.1:5432/ and is
skipped with a note when the server does not answer.

python benchmarks/dashboard_bench.py [--renders 30] [--backend sqlite|postgres]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PROBLEMS, RUNS, MONITORS, CHECKS = 200, 5_000, 1_000, 100_000
SMALL = (2, 10, 4, 40)


def _django(database_url: str) -> None:
    # The test settings are the production file plus plain static storage (no collectstatic
    # needed) and eager tasks; DEBUG stays off as in production.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "benchmark-only-" + uuid.uuid4().hex
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("migrate", verbosity=0)


def _seed(team: object, user: object, problems: int, runs: int, monitors: int, checks: int):  # noqa: ANN202
    from datetime import timedelta

    from django.utils import timezone

    from apps.monitors.models import Check, Monitor
    from apps.problems.models import Problem
    from apps.runs.models import ModelRun, RunStatus

    suffix = uuid.uuid4().hex[:6]
    made = Problem.objects.bulk_create(
        Problem(team=team, title=f"Problem {i:03d} {suffix}", task_type="binary")
        for i in range(problems)
    )
    evaluation = {"n": 100, "n_pos": 50, "n_neg": 50, "roc_auc": 0.81, "pr_auc": 0.7}
    all_runs = ModelRun.objects.bulk_create(
        (
            ModelRun(
                problem=made[i % problems],
                name=f"run {i}",
                status=RunStatus.READY,
                evaluation=evaluation,
                created_by=user,
            )
            for i in range(runs)
        ),
        batch_size=1000,
    )
    states = ["ok", "ok", "warn", "breach", "no_data"]
    mons = Monitor.objects.bulk_create(
        (
            Monitor(
                problem=made[i % problems],
                target_run=all_runs[i % problems],
                baseline_run=all_runs[(i % problems) + problems] if i % 3 == 0 else None,
                mode="non_inferiority" if i % 3 == 0 else "superiority",
                min_abs_change=0.02 if i % 3 == 0 else None,
                name=f"Monitor {i}",
                metric="roc_auc",
                direction="higher",
                threshold=0.75 + (i % 10) / 100,
                warning_band=0.03,
                state=states[i % 5],
                last_value=0.8,
                recent=[[0.7 + (k % 13) / 100, states[k % 5]] for k in range(20)],
                last_checked_at=timezone.now(),
            )
            for i in range(monitors)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    Check.objects.bulk_create(
        (
            Check(
                monitor=mons[i % monitors],
                trigger="schedule",
                state=states[(i // monitors) % 5],
                value=0.7 + (i % 13) / 100,
                threshold_line=0.78,
                warning_line=0.81,
                sentence="Meets every condition.",
                created_at=now - timedelta(minutes=i // monitors),
            )
            for i in range(checks)
        ),
        batch_size=5000,
    )
    return mons


def _render(client: object, url: str, n: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm-up: template compilation, connection, caches
        client.get(url, secure=True)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
        "queries": len(captured),
        "bytes": len(response.content),
    }


def child(database_url: str, renders: int) -> dict:
    """Seed, render and re-check in this process; returns the measurements."""
    _django(database_url)
    from django.test import Client

    from apps.accounts import services as account_services
    from apps.accounts.models import Role, Team, User
    from apps.monitors import services
    from apps.monitors.models import Monitor

    team = Team.objects.create(name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}")
    user = User.objects.create_user(username=f"bench-{uuid.uuid4().hex[:8]}", password="x")
    account_services.membership_set(team=team, user=user, role=Role.OWNER)
    client = Client()
    client.force_login(user)
    small = _seed(team, user, *SMALL)
    out = {
        "small_dashboard": _render(client, "/", 3),
        "small_monitor": _render(client, f"/monitors/{small[0].pk}/", 3),
    }
    Monitor.objects.filter(pk__in=[m.pk for m in small]).delete()
    t0 = time.perf_counter()
    mons = _seed(team, user, PROBLEMS, RUNS, MONITORS, CHECKS)
    out["seed_s"] = time.perf_counter() - t0
    out["dashboard"] = _render(client, "/", renders)
    out["monitor"] = _render(client, f"/monitors/{mons[0].pk}/", renders)
    t0 = time.perf_counter()
    for monitor in mons:
        services.monitor_check(monitor_id=monitor.pk, trigger="schedule")
    out["recheck_ms_per_monitor"] = (time.perf_counter() - t0) * 1000 / len(mons)
    return out


def _postgres_database() -> str | None:
    try:
        import psycopg

        name = f"preflight_dashbench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable here"
        print(f"PostgreSQL not reachable at {PG_SERVER} ({type(exc).__name__}): skipped")
        return None


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_child(database_url: str, renders: int, var_dir: str) -> dict:
    env = {**os.environ, "PREFLIGHT_VAR_DIR": var_dir}
    done = subprocess.run(
        [sys.executable, __file__, "--child", database_url, "--renders", str(renders)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"benchmark child failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.renders)))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="pf-dashbench-") as var_dir:
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
            results["sqlite"] = _run_child(url, args.renders, var_dir)
        if args.backend in ("postgres", "both"):
            name = _postgres_database()
            if name is not None:
                try:
                    results["postgres"] = _run_child(f"{PG_SERVER}/{name}", args.renders, var_dir)
                finally:
                    _drop_postgres(name)
    print(
        f"Seeded {PROBLEMS} problems, {RUNS:,} runs, {MONITORS:,} monitors, {CHECKS:,} checks; "
        f"{args.renders} renders each (full HTML through Django's test client)."
    )
    print(f"{'backend':<10} {'page':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for backend, r in results.items():
        for key, label in (
            ("small_dashboard", "dashboard small"),
            ("dashboard", "dashboard large"),
            ("small_monitor", "monitor small"),
            ("monitor", "monitor large"),
        ):
            row = r[key]
            print(
                f"{backend:<10} {label:<16} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
                f"{row['queries']:>8} {row['bytes'] / 1024:>6.0f}"
            )
        print(
            f"{backend:<10} seed {r['seed_s']:.1f} s · re-check {MONITORS:,} monitors: "
            f"{r['recheck_ms_per_monitor']:.2f} ms per monitor"
        )
    first = results.get("sqlite") or results.get("postgres")
    p95_pg = results["postgres"]["dashboard"]["p95_ms"] if "postgres" in results else None
    p95_sqlite = results["sqlite"]["dashboard"]["p95_ms"] if "sqlite" in results else None
    recheck = statistics.mean(r["recheck_ms_per_monitor"] for r in results.values())
    print(
        f"RESULT p95_ms_sqlite={'skipped' if p95_sqlite is None else f'{p95_sqlite:.1f}'} "
        f"p95_ms_postgres={'skipped' if p95_pg is None else f'{p95_pg:.1f}'} "
        f"queries_small={first['small_dashboard']['queries']} "
        f"queries_large={first['dashboard']['queries']} "
        f"recheck_ms_per_monitor={recheck:.2f}"
    )


if __name__ == "__main__":
    main()
