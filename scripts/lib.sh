# Shared by scripts/run.sh and scripts/test.sh: install what is missing, build, and provide a
# PostgreSQL (DATABASE_URL if set, otherwise a private cluster under .nobat/ in the project).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION=0.21.14
PG_HOME="$ROOT/.nobat/pg"
STARTED_PG=""

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nnobat: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# apt_install PKG...: installs the Debian packages that are not installed yet.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq; \
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
}

# The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "the Rust toolchain (cargo) is required: https://rustup.rs"
  command -v npm >/dev/null || apt_install nodejs npm
  apt_install libpq-dev pkg-config
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (takes ~10 minutes once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked -j2
  fi
  local wbg; wbg="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg"; then
    say "installing wasm-bindgen-cli $wbg (the version in Cargo.lock)"
    cargo install wasm-bindgen-cli --version "$wbg" --force -j2
  fi
  if [ ! -x "$ROOT/frontend/node_modules/.bin/wasm-opt" ]; then
    say "installing wasm-opt (npm binaryen)"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

build_frontend() {
  say "building the web app (trunk, release)"
  (cd "$ROOT/frontend" && PATH="$ROOT/frontend/node_modules/.bin:$PATH" trunk build --release)
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_bin() {
  local bin
  bin="$(command -v pg_ctl 2>/dev/null)" && { dirname "$bin"; return; }
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

# Runs a PostgreSQL server command as the cluster's owner (the server refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_OWNER" -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for port in $(seq 54329 54399); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  die "no free port in 54329-54399 for the private PostgreSQL"
}

# Sets DATABASE_URL (and ADMIN_DATABASE_URL, a URL on the same server that may create databases).
ensure_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    ADMIN_DATABASE_URL="${NOBAT_TEST_DATABASE_URL:-$DATABASE_URL}"
    export ADMIN_DATABASE_URL
    return
  fi
  local bin; bin="$(pg_bin)"
  if [ -z "$bin" ]; then
    apt_install postgresql
    bin="$(pg_bin)" || true
    [ -n "$bin" ] || die "PostgreSQL was installed but initdb was not found"
  fi
  PG_OWNER="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    PG_OWNER=postgres
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
  fi
  mkdir -p "$PG_HOME"
  if [ "$(id -u)" = 0 ]; then
    chown "$PG_OWNER" "$PG_HOME"
    # The server runs as $PG_OWNER: it must be able to reach the project folder.
    local dir="$PG_HOME"
    while [ "$dir" != / ]; do
      dir="$(dirname "$dir")"
      runuser -u "$PG_OWNER" -- test -x "$dir" 2>/dev/null || { chmod o+x "$dir"; echo "   (made $dir traversable for the $PG_OWNER user)"; }
    done
  fi
  if [ ! -f "$PG_HOME/data/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in .nobat/pg"
    pg_as_owner "$bin/initdb" -D "$PG_HOME/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    free_port > "$PG_HOME/port"
    cat >> "$PG_HOME/data/postgresql.conf" <<CONF
# Nobat's private development cluster: loopback TCP only, no Unix socket.
port = $(cat "$PG_HOME/port")
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
CONF
  fi
  local port; port="$(cat "$PG_HOME/port")"
  if ! pg_as_owner "$bin/pg_ctl" -D "$PG_HOME/data" status >/dev/null 2>&1; then
    say "starting the private PostgreSQL on 127.0.0.1:$port"
    pg_as_owner "$bin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$PG_HOME/server.log" >&2; die "PostgreSQL did not start (log: .nobat/pg/server.log)"; }
    STARTED_PG="$bin"
  fi
  ADMIN_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export ADMIN_DATABASE_URL
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/nobat"
  export DATABASE_URL
  psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'nobat'" | grep -q 1 \
    || psql_admin -qc "CREATE DATABASE nobat"
}

psql_admin() { psql "$ADMIN_DATABASE_URL" -v ON_ERROR_STOP=1 "$@"; }

stop_database() {
  if [ -n "$STARTED_PG" ]; then
    pg_as_owner "$STARTED_PG/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null 2>&1 || true
    STARTED_PG=""
  fi
}
