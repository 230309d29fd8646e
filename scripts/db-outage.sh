#!/usr/bin/env bash
# Fault (issue #9): PostgreSQL stopped for 10 s under load, then started again. Runs on a private
# cluster of its own (.nobat/pg-outage, git-ignored), so nothing else loses its database. Four
# clients keep asking for a database-backed list and for the health while the database is up,
# down and back. Fails unless: every answer is a 200 or a 503 problem (never another status, never
# a hang), no answer takes longer than 1.5 s, health says the database is down during the outage,
# and service returns by itself within 2 s of PostgreSQL accepting connections again.
# Usage: scripts/db-outage.sh PATH_TO_NOBAT_BINARY
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
nobat="${1:?usage: scripts/db-outage.sh PATH_TO_NOBAT_BINARY}"
unset DATABASE_URL NOBAT_TEST_DATABASE_URL
PG_HOME="$ROOT/.nobat/pg-outage"
ensure_database
pgbin="$(pg_bin)"
work="$(mktemp -d)"
server=""
cleanup() {
  touch "$work/stop"
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  pg_as_owner "$pgbin/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export NOBAT_LOG=warn NOBAT_DATA_DIR="$work/files" NOBAT_STATIC_DIR=/nonexistent
"$nobat" seed-demo
port="$(free_port)"
NOBAT_BIND="127.0.0.1:$port" "$nobat" serve > "$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/api/v1/health" >/dev/null && break; sleep 0.1; done

probe() {
  while [ ! -f "$work/stop" ]; do
    curl -s -o /dev/null --max-time 5 -w "%{http_code} %{time_total} %{content_type} $1\n" "$base$1" >> "$work/answers" || echo "000 5 - $1" >> "$work/answers"
  done
}
for path in "/api/v1/branches?per_page=5" "/api/v1/branches?per_page=5&q=mary" "/api/v1/health" "/api/v1/services"; do
  probe "$path" &
done
sleep 2
say "stopping PostgreSQL for 10 s under load"
pg_as_owner "$pgbin/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null
sleep 3
down="$(curl -s --max-time 5 "$base/api/v1/health")"
sleep 7
pg_as_owner "$pgbin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -t 60 start >/dev/null
back_at="$(date +%s.%N)"
until curl -fs --max-time 5 "$base/api/v1/branches?per_page=1" >/dev/null; do sleep 0.05; done
recovered="$(awk -v a="$back_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
sleep 2
touch "$work/stop"
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true

total="$(wc -l < "$work/answers")"
ok="$(awk '$1 == 200' "$work/answers" | wc -l)"
# A 503 is a problem document, except the health's own answer (`"status":"degraded"`).
unavailable="$(awk '$1 == 503 && ($3 ~ /problem\+json/ || $4 == "/api/v1/health")' "$work/answers" | wc -l)"
other="$(awk '!($1 == 200 || ($1 == 503 && ($3 ~ /problem\+json/ || $4 == "/api/v1/health")))' "$work/answers" | wc -l)"
slowest="$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { printf "%.2f", m }' "$work/answers")"
echo "answers: $total ($ok ok, $unavailable 503 problem+json, $other other); slowest ${slowest} s;" \
  "health while down: $down; service back ${recovered} s after PostgreSQL"
[ "$other" -eq 0 ] || { awk '{ print $1, $3 }' "$work/answers" | sort | uniq -c | sort -rn | awk 'NR <= 10'; die "answers other than 200 and 503 problem+json"; }
# awk, not head: head would close the pipe early and, under pipefail, fail the script with SIGPIPE.
sort -k2 -n -r "$work/answers" | awk 'NR <= 3'
[ "$unavailable" -gt 0 ] || die "no 503 while the database was down"
awk -v s="$slowest" 'BEGIN { exit !(s <= 1.5) }' || die "an answer took ${slowest} s (limit 1.5 s)"
grep -q '"database":"down"' <<<"$down" || die "health did not say the database was down: $down"
awk -v r="$recovered" 'BEGIN { exit !(r <= 2) }' || die "service came back ${recovered} s after PostgreSQL (limit 2 s)"
echo "database outage: ok"
