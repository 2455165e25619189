#!/usr/bin/env bash
# Scale-out: 1, 2 and 3 replicas of the packaged jar on one PostgreSQL (the server on PATH, started
# here in a temp directory) over the same set of products files, dropped at once into a shared inbox.
# For each replica count: files/s and rows/s from the drop to the last run's end, and how the files
# were spread over the replicas. Counts are checked exactly.
#
#   scripts/bench/replicas.sh [FILES] [ROWS_PER_FILE]      (default 24 files of 20,000 rows)
#   BENCH_REPLICAS="1 2 3"   the replica counts to run, in this order
#   BENCH_HEAP=256m          each replica's -Xmx
# Needs initdb and pg_ctl on PATH (PostgreSQL 15 or later) and psql. As root, the server runs as
# the user nobody (PostgreSQL refuses root).
# The last line printed is the headline: rows/s of each replica count against one replica.
source "$(dirname "$0")/lib.sh"

FILES="${1:-24}"
ROWS="${2:-20000}"
COUNTS=(${BENCH_REPLICAS:-1 2 3})
command -v initdb >/dev/null && command -v pg_ctl >/dev/null && command -v psql >/dev/null \
  || die "initdb, pg_ctl and psql must be on PATH"

prepare

# --- one PostgreSQL for every run ------------------------------------------------------------
AS=()
if [[ "$(id -u)" == 0 ]]; then AS=(runuser -u nobody --); fi
PG="$WORK/pg"
mkdir -p "$PG"
# The temp directory is root's own (mode 700): the server's user must be able to reach its folder.
[[ ${#AS[@]} -eq 0 ]] || { chmod 755 "$WORK"; chown nobody "$PG"; }
PG_PORT="$(free_port)"
"${AS[@]}" initdb -D "$PG/data" -U postgres -A trust >"$PG/initdb.log" 2>&1 || { cat "$PG/initdb.log" >&2; die "initdb failed"; }
"${AS[@]}" pg_ctl -D "$PG/data" -l "$PG/server.log" -w \
  -o "-p $PG_PORT -k $PG -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
  || { cat "$PG/server.log" >&2; die "PostgreSQL did not start"; }
stop_postgres() { "${AS[@]}" pg_ctl -D "$PG/data" -m fast stop >/dev/null 2>&1 || true; }
PIDS=()
stop_replicas() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_replicas; stop_postgres; cleanup' EXIT
log "PostgreSQL $(postgres --version | awk '{print $3}') on port $PG_PORT"
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -Atc "$2"; }

# --- the files ----------------------------------------------------------------------------------
log "generating $FILES files of $ROWS rows"
mkdir -p "$WORK/files"
valid_total=0
for ((f = 1; f <= FILES; f++)); do
  beval gen "$WORK/files/products-r$f.csv" "$ROWS" false "F$f-"
  valid_total=$((valid_total + gen_valid))
done

results=()
base_rows_s=""
for n in "${COUNTS[@]}"; do
  db="replicas_$n"
  psql_db postgres "CREATE DATABASE $db" >/dev/null
  inbox="$WORK/inbox-$n"
  mkdir -p "$inbox"
  for ((r = 1; r <= n; r++)); do
    port="$(free_port)"
    (cd "$WORK" && exec java -Xmx"$HEAP" ${BENCH_JAVA_OPTS:-} -jar "$JAR" --server.port="$port" \
      --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$db" --spring.datasource.username=postgres \
      --etl.inbox.dir="$inbox" --etl.coingecko.enabled=false >"$WORK/replica-$n-$r.log" 2>&1) &
    PIDS+=($!)
    # One after the other: the first one's Flyway migration runs alone.
    bench wait-http "http://127.0.0.1:$port/health" 240 "${PIDS[-1]}" \
      || { tail -40 "$WORK/replica-$n-$r.log" >&2; die "replica $r of $n did not start"; }
  done
  log "$n replica(s) up; dropping $FILES files"
  for ((f = 1; f <= FILES; f++)); do
    ln -f "$WORK/files/products-r$f.csv" "$inbox/.products-r$f.csv.part"
  done
  t0="$(now_ms)"
  for ((f = 1; f <= FILES; f++)); do mv "$inbox/.products-r$f.csv.part" "$inbox/products-r$f.csv"; done
  deadline=$(( $(date +%s) + 1800 ))
  until [[ "$(psql_db "$db" "SELECT count(*) FROM etl_runs WHERE status = 'success'")" == "$FILES" ]]; do
    (( $(date +%s) < deadline )) || die "$n replica(s): not every file finished within 30 minutes"
    [[ "$(psql_db "$db" "SELECT count(*) FROM etl_runs WHERE status = 'failed'")" == 0 ]] \
      || die "$n replica(s): a run failed: $(psql_db "$db" "SELECT file_name || ': ' || error_message FROM etl_runs WHERE status = 'failed' LIMIT 1")"
    sleep 0.5
  done
  t1="$(psql_db "$db" "SELECT (extract(epoch FROM max(finished_at)) * 1000)::bigint FROM etl_runs")"
  records="$(psql_db "$db" "SELECT count(*) FROM unified_records")"
  counted="$(psql_db "$db" "SELECT record_count FROM source_stats WHERE source = 'products_csv'")"
  read_rows="$(psql_db "$db" "SELECT sum(records_read) FROM etl_runs")"
  [[ "$records" == "$valid_total" && "$counted" == "$valid_total" && "$read_rows" == $((FILES * ROWS)) ]] \
    || die "$n replica(s): $records records, $counted counted, $read_rows rows read; expected $valid_total, $valid_total, $((FILES * ROWS))"
  secs="$(calc "($t1 - $t0) / 1000" 3)"
  files_s="$(calc "$FILES / $secs" 2)"
  rows_s="$(calc "$FILES * $ROWS / $secs" 0)"
  spread="$(psql_db "$db" "SELECT string_agg(n::text, '+' ORDER BY n DESC) FROM (SELECT count(*) AS n FROM etl_runs GROUP BY instance_id) s")"
  [[ -n "$base_rows_s" ]] || base_rows_s="$rows_s"
  results+=("$(printf '%-9s | %-9s | %-9s | %-10s | %-9s | %s' "$n" "$secs" "$files_s" "$rows_s" "$(calc "$rows_s / $base_rows_s" 2)" "$spread")")
  log "$n replica(s): $secs s, $files_s files/s, $rows_s rows/s, files per replica $spread; counts verified"
  stop_replicas
done

echo
echo "replicas: $FILES products files of $ROWS rows ($((FILES * ROWS)) rows), dropped at once; one PostgreSQL $(postgres --version | awk '{print $3}'), $(nproc) cores; -Xmx$HEAP per replica"
printf '%-9s | %-9s | %-9s | %-10s | %-9s | %s\n' "replicas" "seconds" "files/s" "rows/s" "x 1" "files per replica"
printf '%s\n' "${results[@]}"
echo "headline: rows/s against one replica: $(printf '%s\n' "${results[@]}" | awk -F'|' '{gsub(/ /, "", $1); gsub(/ /, "", $5); printf "%s%s=%s", (NR > 1 ? ", " : ""), $1, $5}')"
