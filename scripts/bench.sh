#!/usr/bin/env bash
# Load run against a release `nobat serve` on 127.0.0.1 with the demo data: the availability
# endpoint (one branch, 31 days) next to GET /api/v1/health measured in the same run, at the same
# concurrency, so the ratio means something on a shared machine. Also the criterion benchmark
# of the slot arithmetic. Bounded: DURATION seconds per scenario (default 10), CONNECTIONS (64).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"

ensure_build_tools
apt_install wrk
command -v psql >/dev/null || apt_install postgresql-client
say "building the server (release)"
cargo build --release -j2 -q -p nobat-api --bin nobat
ensure_database
bench_db="nobat_bench_$$"
psql_admin -qc "CREATE DATABASE $bench_db"
url="${ADMIN_DATABASE_URL%/*}/$bench_db"
port="$(free_port)"
DATABASE_URL="$url" NOBAT_LOG=warn "$CARGO_TARGET_DIR/release/nobat" seed-demo
DATABASE_URL="$url" NOBAT_LOG=warn NOBAT_BIND="127.0.0.1:$port" NOBAT_DB_POOL_SIZE=16 \
  "$CARGO_TARGET_DIR/release/nobat" serve >/dev/null 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; psql_admin -qc "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)"; stop_database' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
from="$(date -u -d '+5 hours' +%F)"
to="$(date -u -d "$from + 30 days" +%F)"
declare -A rps p50 p99 peak
run() {
  local name="$1" path="$2" out
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$path")"
  rps[$name]="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  p50[$name]="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99[$name]="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  peak[$name]="$(rss)"
  if grep -q "Non-2xx" <<<"$out"; then echo "$out"; die "$name: non-2xx answers"; fi
}
rest="$(rss)"
say "load: $CONNECTIONS connections, ${DURATION}s per scenario"
run health "/api/v1/health"
run availability "/api/v1/branches/central/availability?service=passport-international&from=$from&to=$to"
# Holds: every request a new passport on the slots of one open day at Daşoguz (3 seats each).
slots="$(curl -fs "http://127.0.0.1:$port/api/v1/branches/dashoguz/availability?service=passport-international&from=$from&to=$to" \
  | python3 -c 'import json,sys; d=[x for x in json.load(sys.stdin)["days"] if x["status"]=="open"][1]; print(",".join(s["start"] for s in d["slots"]))')"
out="$(SLOTS="$slots" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/scripts/holds.lua" "http://127.0.0.1:$port")"
rps[holds]="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
p50[holds]="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
p99[holds]="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
peak[holds]="$(rss)"
answers="$(grep '^answers:' <<<"$out")"
printf '\n%-14s %12s %10s %10s %12s %14s\n' scenario "req/s" p50 p99 "RSS peak KiB" "vs health"
for name in health availability holds; do
  printf '%-14s %12s %10s %10s %12s %13.2fx\n' "$name" "${rps[$name]}" "${p50[$name]}" "${p99[$name]}" \
    "${peak[$name]}" "$(awk -v a="${rps[$name]}" -v b="${rps[health]}" 'BEGIN { print a / b }')"
done
echo "holds on one day's slots: $answers (every other answer must be a 409)"
echo "server RSS at rest: $rest KiB"

say "criterion: the slot arithmetic alone"
cargo bench -j2 -q -p nobat-domain --bench availability -- --warm-up-time 1 --measurement-time 3 2>/dev/null \
  | grep -E "^[0-9].*slots|time:"
