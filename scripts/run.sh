#!/usr/bin/env bash
# Sets up what is missing, builds Nobat in release mode, loads the demo data and serves it at
# http://127.0.0.1:8080 (NOBAT_BIND to change). Uses DATABASE_URL when set, otherwise a private
# PostgreSQL cluster in .nobat/pg. Run it again: it reuses everything and starts in seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_build_tools
command -v psql >/dev/null || apt_install postgresql-client
build_frontend
say "building the server (release)"
cargo build --release -j2 -p nobat-api --bin nobat
ensure_database
trap stop_database EXIT

NOBAT="$CARGO_TARGET_DIR/release/nobat"
say "loading demo data"
"$NOBAT" seed-demo
export NOBAT_STATIC_DIR="${NOBAT_STATIC_DIR:-$ROOT/frontend/dist}"
say "Nobat is starting at http://${NOBAT_BIND:-127.0.0.1:8080}/ (Swagger UI: /swagger-ui/) - Ctrl-C stops it"
"$NOBAT" serve &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server; stop_database' INT TERM
wait $server
