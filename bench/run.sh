#!/usr/bin/env bash
# make bench: seeds each database (SQLite always, PostgreSQL when reachable) with $BENCH_ORGS trader
# organisations that each submitted T1, measures the raw single-row committed insert rate, then runs
# wrk against the release server with $BENCH_USERS concurrent signed-in users: the section page and
# answer autosaves. Results: target/bench/results.md (copy the numbers into docs/benchmarks.md).
set -euo pipefail

BIN=${BIN:-./target/release/senim}
ORGS=${BENCH_ORGS:-1000}
USERS=${BENCH_USERS:-50}
LINES=${BENCH_LINES:-10000}
DISCLOSURES=${BENCH_DISCLOSURES:-10000}
TRADERS=${BENCH_TRADERS:-100000}
SCORE_USERS=${BENCH_SCORE_USERS:-10}
# all (default), or scores: only the compliance-score part (fresh databases, $TRADERS traders).
ONLY=${BENCH_ONLY:-all}
SECONDS_EACH=${BENCH_SECONDS:-20}
ADDR=${BENCH_ADDR:-127.0.0.1:3200}
PG_ADMIN_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
OUT=target/bench
export BENCH_DIR="$PWD/bench"
mkdir -p "$OUT"
RESULTS="$OUT/results.md"

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap stop_server EXIT

if curl -s --noproxy '*' -o /dev/null --max-time 2 "http://$ADDR/"; then
  echo "ERROR: something already listens on $ADDR (set BENCH_ADDR)" >&2
  exit 1
fi

{
  echo "# Senim benchmark run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, kernel $(uname -r)."
  echo "Disk holding the databases: $(df -h "$OUT" | awk 'NR==2 {print $1", "$2" total"}')."
  echo "Load: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $USERS connections (one per thread; section and save: each a different signed-in trader with its own draft; disclosure: one trader's $LINES-line disclosure page; queue: one officer's first page of $DISCLOSURES disclosures), ${SECONDS_EACH} s per scenario, after $ORGS organisations each submitted T1."
  echo
  echo "| backend | scenario | requests/s | p50 | p99 | non-2xx / failed checks |"
  echo "|---|---|---|---|---|---|"
} > "$RESULTS"

start_server() {
  local backend=$1
  echo "=== $backend: server on $ADDR"
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="$ADDR" LEPTOS_ENV=PROD SENIM_PUBLIC_URL="http://$ADDR" \
    RUST_LOG=warn "$BIN" serve >> "$OUT/$backend-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -s --noproxy '*' -o /dev/null --max-time 2 "http://$ADDR/" && break
    sleep 0.5
  done
}

# The disclosure data is seeded after the assessment scenarios, so their figures stay measured on
# the same database as in earlier runs.
seed_disclosures() {
  local backend=$1
  echo "=== $backend: a $LINES-line disclosure imported from CSV, $DISCLOSURES disclosures in customs' queue"
  local import_line
  import_line=$("$BIN" bench disclosures --lines "$LINES" --others "$((DISCLOSURES - 1))" --out "$OUT/$backend-disclosure" | tee /dev/stderr | tail -1)
  echo "| $backend | $import_line | | | | |" >> "$RESULTS"
}

run_backend() {
  local backend=$1 url=$2
  echo "=== $backend: seeding $ORGS organisations"
  export DATABASE_URL="$url"
  "$BIN" migrate > /dev/null
  "$BIN" demo > "$OUT/$backend-demo.log"
  "$BIN" bench seed --organisations "$ORGS" --sessions "$USERS" --out "$OUT/$backend-sessions.txt" | tee "$OUT/$backend-seed.log"
  echo "=== $backend: raw single-row committed inserts (5 s)"
  local baseline
  baseline=$("$BIN" bench inserts --seconds 5 | tee /dev/stderr | grep -oE '[0-9]+/s' | tr -d '/s')
  local python_rate=
  if [ "$backend" = sqlite ]; then
    # The reference the autosave target is set against (issue 7 §6): Python's sqlite3 committing
    # single-row inserts with WAL + synchronous=FULL on the same disk, in the same run.
    python_rate=$(python3 - "$SQLITE_DIR/python-baseline.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
n, start = 0, time.monotonic()
while time.monotonic() - start < 5:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 40,))
    db.execute("COMMIT")
    n += 1
print(int(n / (time.monotonic() - start)))
PY
)
    echo "python sqlite3 single-row FULL commits: $python_rate/s"
  fi
  start_server "$backend"
  for scenario in section save disclosure queue; do
    case $scenario in
      disclosure) export BENCH_SESSIONS="$OUT/$backend-disclosure-trader.txt" ;;
      queue) export BENCH_SESSIONS="$OUT/$backend-disclosure-officer.txt" ;;
      *) export BENCH_SESSIONS="$OUT/$backend-sessions.txt" ;;
    esac
    if [ "$scenario" = disclosure ]; then
      stop_server
      seed_disclosures "$backend"
      start_server "$backend"
    fi
    echo "=== $backend: $scenario, $USERS users, ${SECONDS_EACH} s"
    wrk -t "$USERS" -c "$USERS" -d "${SECONDS_EACH}s" --timeout 10s --latency -s "bench/$scenario.lua" "http://$ADDR" \
      | tee "$OUT/$backend-$scenario.txt"
    local rps p50 p99 bad checks
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$backend-$scenario.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT/$backend-$scenario.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$backend-$scenario.txt")
    bad=$(awk '/Non-2xx/ {print $NF}' "$OUT/$backend-$scenario.txt")
    checks=$(awk '/^failed:/ {print $2}' "$OUT/$backend-$scenario.txt")
    echo "| $backend | $scenario | $rps | $p50 | $p99 | ${bad:-0} / ${checks:-0} |" >> "$RESULTS"
    if [ "$scenario" = save ]; then
      local saved ratio
      saved=$(awk '/^saved:/ {print $2}' "$OUT/$backend-$scenario.txt")
      ratio=$(awk -v s="$saved" -v d="$SECONDS_EACH" -v b="$baseline" 'BEGIN { printf "%.2f", (s / d) / b }')
      echo "| $backend | raw single-row FULL inserts | $baseline | | | |" >> "$RESULTS"
      echo "| $backend | committed autosaves ÷ raw inserts | $ratio ($saved saves in ${SECONDS_EACH} s) | | | |" >> "$RESULTS"
      if [ -n "$python_rate" ]; then
        local py_ratio
        py_ratio=$(awk -v s="$saved" -v d="$SECONDS_EACH" -v b="$python_rate" 'BEGIN { printf "%.2f", (s / d) / b }')
        echo "| $backend | raw single-row FULL commits, Python sqlite3 | $python_rate | | | |" >> "$RESULTS"
        echo "| $backend | committed autosaves ÷ Python FULL commits (target ≥ 0.35) | $py_ratio | | | |" >> "$RESULTS"
      fi
    fi
  done
  stop_server
}

# Compliance scores (issue 10): on a fresh database, the demo plus $TRADERS synthetic traders
# (statistics, reviewed self-assessments, findings, debts), one timed full rescore of every trader,
# then the dashboard and the PCA candidate list at $SCORE_USERS users.
run_scores() {
  local backend=$1 url=$2
  export DATABASE_URL="$url"
  "$BIN" migrate > /dev/null
  "$BIN" demo > "$OUT/$backend-scores-demo.log"
  echo "=== $backend: $TRADERS synthetic traders, then a full rescore"
  local line
  line=$("$BIN" bench traders --count "$TRADERS" --out "$OUT/$backend-scores-officer.txt" | tee /dev/stderr | tail -1)
  echo "| $backend | $line | | | | |" >> "$RESULTS"
  export BENCH_SESSIONS="$OUT/$backend-scores-officer.txt"
  start_server "$backend"
  local scenario page
  for scenario in dashboard pca; do
    case $scenario in
      dashboard) page=/customs/dashboard; export BENCH_MARK=tier-table ;;
      pca) page=/customs/pca; export BENCH_MARK='id="candidates"' ;;
    esac
    echo "=== $backend: $scenario ($page), $SCORE_USERS users, ${SECONDS_EACH} s"
    BENCH_PAGE=$page wrk -t "$SCORE_USERS" -c "$SCORE_USERS" -d "${SECONDS_EACH}s" --timeout 10s --latency \
      -s bench/officer_page.lua "http://$ADDR" | tee "$OUT/$backend-$scenario.txt"
    local rps p50 p95 p99 bad checks
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$backend-$scenario.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT/$backend-$scenario.txt")
    p95=$(awk '/^p95:/ {print $2}' "$OUT/$backend-$scenario.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$backend-$scenario.txt")
    bad=$(awk '/Non-2xx/ {print $NF}' "$OUT/$backend-$scenario.txt")
    checks=$(awk '/^failed:/ {print $2}' "$OUT/$backend-$scenario.txt")
    echo "| $backend | $scenario ($TRADERS traders; p95 $p95) | $rps | $p50 | $p99 | ${bad:-0} / ${checks:-0} |" >> "$RESULTS"
  done
  stop_server
}

SQLITE_DIR="$OUT/sqlite"
pg_up() { PGCONNECT_TIMEOUT=3 psql "$PG_ADMIN_URL" -Atqc 'select 1' > /dev/null 2>&1; }
fresh_pg() { psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null; }

if [ "$ONLY" = all ]; then
  rm -rf "$SQLITE_DIR"
  mkdir -p "$SQLITE_DIR"
  run_backend sqlite "sqlite://$PWD/$SQLITE_DIR/senim.db?mode=rwc"
  if pg_up; then
    fresh_pg senim_bench
    run_backend postgres "${PG_ADMIN_URL%/*}/senim_bench"
  else
    echo "### SKIPPING PostgreSQL benchmark: no server at $PG_ADMIN_URL" | tee -a "$RESULTS"
  fi
fi

rm -rf "$SQLITE_DIR-scores"
mkdir -p "$SQLITE_DIR-scores"
run_scores sqlite "sqlite://$PWD/$SQLITE_DIR-scores/senim.db?mode=rwc"
if pg_up; then
  fresh_pg senim_bench_scores
  run_scores postgres "${PG_ADMIN_URL%/*}/senim_bench_scores"
else
  echo "### SKIPPING PostgreSQL score benchmark: no server at $PG_ADMIN_URL" | tee -a "$RESULTS"
fi

echo
cat "$RESULTS"
