#!/usr/bin/env bash
# The embedded mode: SQLite, a real Celery worker (+ beat) on kombu's filesystem broker
# (or Redis when CELERY_BROKER_URL is set), and the web server. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py seed_demo

"$BIN/celery" -A config worker -B --loglevel=INFO --concurrency=2 \
    -s var/celerybeat-schedule >var/worker.log 2>&1 &
WORKER_PID=$!
stop() {
    kill -TERM "$WORKER_PID" 2>/dev/null || true
    wait "$WORKER_PID" 2>/dev/null || true
}
trap stop EXIT INT TERM

cat <<BANNER

  Preflight is starting at http://127.0.0.1:${PORT}
  Sign in as user "demo" with password "demo" (team "demo").
  Worker log: var/worker.log    Stop with Ctrl-C.

BANNER
"$BIN/python" manage.py runserver "127.0.0.1:${PORT}"
