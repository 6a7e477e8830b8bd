#!/usr/bin/env bash
# Every check Preflight has: lint, import contracts, Django checks (dev and production),
# migrations, the compose file, and pytest. With CI=true it first installs and starts
# whatever the service-backed tests need, so none of them can skip.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI="${CI:-false}"
CLEANUP=()
cleanup() { for cmd in "${CLEANUP[@]}"; do eval "$cmd" || true; done; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port_answers() { "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; }

install_system_packages() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
    if ((${#missing[@]})); then
        step "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

start_own_postgres() {
    local pgbin port dir
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    port=$(free_port)
    dir=$(mktemp -d /tmp/preflight-pg.XXXXXX)
    chown postgres "$dir"
    runuser -u postgres -- "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
    CLEANUP+=("runuser -u postgres -- '$pgbin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null; rm -rf '$dir'")
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/preflight"
}

if [[ "$CI" == "true" ]]; then
    install_system_packages
fi

if [[ -z "${DATABASE_URL:-}" ]]; then
    if port_answers 5432; then
        export DATABASE_URL="postgres://postgres@127.0.0.1:5432/preflight"
    elif [[ "$CI" == "true" ]]; then
        step "No PostgreSQL answers on 5432: starting a private one"
        start_own_postgres
    fi
fi
echo "Tests use: ${DATABASE_URL:-SQLite (no PostgreSQL found; service tests will skip)}"

step "ruff"
"$BIN/ruff" check .
"$BIN/ruff" format --check .

step "import contracts"
"$BIN/lint-imports"

step "django checks"
DATABASE_URL= "$BIN/python" manage.py check --fail-level WARNING
DEBUG=false SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=preflight.example.com DATABASE_URL= \
    "$BIN/python" manage.py check --deploy --fail-level WARNING
DATABASE_URL= "$BIN/python" manage.py makemigrations --check --dry-run

step "compose file"
if command -v docker-compose >/dev/null; then
    SECRET_KEY=validate-only docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"
elif [[ "$CI" == "true" ]]; then
    echo "docker-compose is required in CI" >&2
    exit 1
else
    echo "skipped: docker-compose is not installed (apt-get install docker-compose)"
fi

step "pytest"
"$BIN/pytest" "$@"
