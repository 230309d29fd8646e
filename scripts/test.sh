#!/usr/bin/env bash
# Sets up what is missing and runs every check, cheapest first: fmt, clippy (host and wasm32),
# the dependency direction, OpenAPI drift, unit and integration tests against a real PostgreSQL,
# PostgreSQL stopped for 10 s under load, docker-compose validation, the release build of the web
# app, end-to-end tests in headless Chromium, and schemathesis against the same server. Ends with
# one summary line. `.ci/run` calls exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$(date +%s)
step() { say "[$(( $(date +%s) - started ))s] $*"; }

step "setup"
ensure_build_tools
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked -j2
command -v psql >/dev/null || apt_install postgresql-client
apt_install curl chromium chromium-driver fonts-liberation docker-compose
if [ ! -d "$ROOT/e2e/node_modules/playwright-core" ]; then
  (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

step "fmt"
cargo fmt --all -- --check

step "clippy (host)"
cargo clippy -j2 --workspace --all-targets -- -D warnings

step "clippy (wasm32: domain and web app)"
cargo clippy -j2 -p nobat-domain -p nobat-frontend --target wasm32-unknown-unknown -- -D warnings

step "dependency direction (the domain crate stays free of I/O frameworks)"
if cargo tree -p nobat-domain -e normal --prefix none | grep -E '^(diesel|actix|tokio|yew|gloo)[ -]'; then
  die "crates/domain must not depend on the crates above"
fi

step "OpenAPI drift"
cargo nextest run --build-jobs 2 --no-fail-fast -p nobat-api --test openapi 2>&1 | tail -n 3

ensure_database
trap stop_database EXIT
export NOBAT_TEST_DATABASE_URL="$ADMIN_DATABASE_URL"

step "unit and integration tests (PostgreSQL at ${ADMIN_DATABASE_URL%/*})"
nextest_log="$(mktemp)"
cargo nextest run --build-jobs 2 --workspace --no-fail-fast --test-threads 4 2>&1 | tee "$nextest_log"
nextest_summary="$(grep -E '^ +Summary' "$nextest_log" | tail -n 1)"
nextest_passed="$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$nextest_summary")"

step "fault: PostgreSQL stopped for 10 s under load (a private cluster of its own)"
bash "$ROOT/scripts/db-outage.sh" "$CARGO_TARGET_DIR/debug/nobat"

step "docker-compose.yml"
docker-compose -f "$ROOT/docker-compose.yml" config -q && echo "docker-compose.yml is valid"

step "web app (release build)"
build_frontend
wasm="$(ls "$ROOT"/frontend/dist/*.wasm)"
printf 'WASM: %s bytes, %s bytes gzip-compressed\n' "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"

step "end-to-end tests (headless Chromium)"
cargo build -j2 -q -p nobat-api --bin nobat
e2e_db="nobat_e2e_$$"
psql "$ADMIN_DATABASE_URL" -qc "CREATE DATABASE $e2e_db"
e2e_url="${ADMIN_DATABASE_URL%/*}/$e2e_db"
port="$(free_port)"
export NOBAT_LOG=warn
DATABASE_URL="$e2e_url" "$CARGO_TARGET_DIR/debug/nobat" seed-demo
DATABASE_URL="$e2e_url" NOBAT_BIND="127.0.0.1:$port" NOBAT_STATIC_DIR="$ROOT/frontend/dist" \
  "$CARGO_TARGET_DIR/debug/nobat" serve > "$ROOT/e2e/server.log" 2>&1 &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql "$ADMIN_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" || true
  stop_database
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$ROOT/e2e/server.log"; die "the server did not start"; }
  sleep 0.2
done
e2e_log="$(mktemp)"
(cd "$ROOT/e2e" && NOBAT_E2E_URL="http://127.0.0.1:$port" NOBAT_E2E_DATABASE_URL="$e2e_url" node --test --test-concurrency=1 tests/) 2>&1 | tee "$e2e_log"
e2e_passed="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$e2e_log")"
echo "screenshots: e2e/artifacts/"

step "schemathesis against openapi/openapi.json and the same server"
st_log="$(mktemp)"
bash "$ROOT/scripts/schemathesis.sh" "http://127.0.0.1:$port" 2>&1 | tee "$st_log"
st_cases="$(sed -nE 's/^ *([0-9]+) generated, \1 passed.*/\1/p' "$st_log" | awk '{ s += $1 } END { print s + 0 }')"

total=$(( nextest_passed + e2e_passed ))
printf '\nSummary [%ss] %s tests run: %s passed (%s unit/integration, %s end-to-end), 0 failed; schemathesis: %s generated cases passed; database outage: ok; fmt, clippy host+wasm32, dependency direction, OpenAPI drift, docker-compose, web build: ok\n' \
  "$(( $(date +%s) - started ))" "$total" "$total" "$nextest_passed" "$e2e_passed" "${st_cases:-0}"
