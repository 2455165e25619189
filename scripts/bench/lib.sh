# Shared by the benchmark scripts (sourced, not run). Needs only a JDK 17+ and bash.
# shellcheck shell=bash
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
JAR="${BENCH_JAR:-$REPO/target/kasparro-etl.jar}"
HEAP="${BENCH_HEAP:-256m}"
WORK="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/kasparro-bench.XXXXXX")"
SERVICE_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'BENCH FAILURE: %s\n' "$*" >&2; exit 1; }

cleanup() {
  stop_service || true
  if [[ -n "${FAKE_PID:-}" ]]; then kill "$FAKE_PID" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# The jar (built once), and the helper compiled against the driver and commons-csv from the jar.
prepare() {
  if [[ ! -f "$JAR" ]]; then
    log "building $JAR"
    (cd "$REPO" && ./mvnw -B -q -DskipTests package)
  fi
  mkdir -p "$WORK/lib" "$WORK/classes"
  local entries
  entries="$(jar tf "$JAR" | grep -E '^BOOT-INF/lib/(postgresql|commons-csv|commons-io|commons-codec)-[0-9.]+\.jar$')"
  (cd "$WORK/lib" && jar xf "$JAR" $entries)
  CP="$(ls "$WORK"/lib/BOOT-INF/lib/*.jar | tr '\n' ':')"
  javac -nowarn -d "$WORK/classes" -cp "$CP" "$BENCH_DIR/Bench.java"
  CP="$CP$WORK/classes"
}

bench() { java -Xmx512m -cp "$CP" Bench "$@"; }
# beval CMD ARGS...: runs a helper command and evaluates its key=value output; dies if it failed.
beval() { local out; out="$(bench "$@")" || die "helper '$1' failed"; eval "$out"; }

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# start_service [extra --args...]: a fresh service on fresh ports, an embedded PostgreSQL in a fresh
# data dir (or SPRING_DATASOURCE_URL, which must be a scratch database: it is emptied).
# A port picked by free_port can be taken by someone else before the service binds it: try again
# with other ports (up to 3 times) when that is why the start failed.
start_service() {
  local attempt
  for attempt in 1 2 3; do
    if start_service_once "$@"; then return 0; fi
    grep -q 'already in use' "$SERVICE_LOG" || { tail -50 "$SERVICE_LOG" >&2; die "service did not start"; }
    log "a port was taken before the service bound it; starting again on other ports"
  done
  die "service did not start: ports kept being taken"
}

start_service_once() {
  local run="$WORK/run$((++RUN_NO))"
  mkdir -p "$run/inbox"
  INBOX="$run/inbox"
  HTTP_PORT="$(free_port)"
  local args=(--server.port="$HTTP_PORT" --etl.inbox.dir="$INBOX" --etl.coingecko.enabled="${BENCH_COINGECKO_ENABLED:-false}")
  if [[ -n "${SPRING_DATASOURCE_URL:-}" ]]; then
    [[ "${BENCH_RESET_OK:-0}" == 1 ]] || die "SPRING_DATASOURCE_URL is set: the bench empties the ETL tables there; set BENCH_RESET_OK=1 to confirm it is a scratch database"
    export BENCH_DB_URL="$SPRING_DATASOURCE_URL" BENCH_DB_USER="${SPRING_DATASOURCE_USERNAME:-postgres}"
    export BENCH_DB_PASSWORD="${SPRING_DATASOURCE_PASSWORD:-}"
  else
    PG_PORT="$(free_port)"
    args+=(--etl.embedded-db.data-dir="$run/pg" --etl.embedded-db.port="$PG_PORT")
    export BENCH_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" BENCH_DB_USER=postgres
  fi
  log "starting service (heap $HEAP, http $HTTP_PORT) in $run"
  (cd "$run" && exec java -Xmx"$HEAP" ${BENCH_JAVA_OPTS:-} -jar "$JAR" "${args[@]}" "$@" >"$run/service.log" 2>&1) &
  SERVICE_PID=$!
  SERVICE_LOG="$run/service.log"
  if ! bench wait-http "http://127.0.0.1:$HTTP_PORT/health" 180 "$SERVICE_PID"; then
    kill "$SERVICE_PID" 2>/dev/null; wait "$SERVICE_PID" 2>/dev/null || true
    return 1
  fi
  if [[ -n "${SPRING_DATASOURCE_URL:-}" ]]; then bench reset; fi
  # Experiments only: e.g. BENCH_SETUP_SQL="ALTER SYSTEM SET max_wal_size = '4GB'" (one statement).
  if [[ -n "${BENCH_SETUP_SQL:-}" ]]; then bench sql "$BENCH_SETUP_SQL" "SELECT pg_reload_conf()" >/dev/null; fi
}
RUN_NO=0

stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}

# Peak resident set of the service's JVM so far (kB); the embedded PostgreSQL is separate processes.
peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVICE_PID/status"; }

# drop FILE NAME: into the inbox under a hidden temp name, then renamed (the contract's way).
drop() {
  ln -f "$1" "$INBOX/.$2.part" 2>/dev/null || cp "$1" "$INBOX/.$2.part"
  DROP_MS="$(date +%s%3N)"
  mv "$INBOX/.$2.part" "$INBOX/$2"
}

now_ms() { date +%s%3N; }

# Before a timed load, untimed: vacuum the service's tables, as autovacuum would at a moment set by
# its 1-minute nap (otherwise it may work through the previous load's rows during the timed one),
# and take a checkpoint.
quiet_database() { bench sql "VACUUM (ANALYZE) raw_csv_data, unified_records, rejected_rows" "CHECKPOINT" >/dev/null; }

# median/min/max of numbers (one per argument), printed as "median min max".
stats3() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%s %s %s\n", m, a[1], a[NR]}'; }

calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
