#!/usr/bin/env bash
# End-to-end ingest benchmark: one products CSV of ROWS rows (default 1,000,000, ~1% invalid)
# through the packaged service, then, in the same run and database, a hand-written JDBC batch
# loader (the peer) and a COPY into a plain table (the floor). Counts are checked exactly.
#
#   scripts/bench/ingest.sh [ROWS]
#   BENCH_REPEAT=3     runs (each on a fresh service and database); medians with min/max
#   BENCH_HEAP=256m    the service's -Xmx
#   BENCH_PEER=0       skip the peer and the COPY floor (memory runs)
#   BENCH_BATCH_SIZE=N pass --etl.batch-size=N to the service (default: the service's, 1000)
#   BENCH_WARMUP=N     rows of a warm-up file with other keys, loaded untimed first by the service
#                      and by the peer (default 100000): a long-running service has compiled its hot
#                      code; 0 measures the first file after start (cold JVM) instead
#   SPRING_DATASOURCE_URL (+_USERNAME/_PASSWORD) with BENCH_RESET_OK=1: a scratch server instead
#   of the embedded PostgreSQL (its ETL tables are emptied).
# The last line printed is the headline: service rows/s divided by the peer's.
source "$(dirname "$0")/lib.sh"

ROWS="${1:-1000000}"
REPEAT="${BENCH_REPEAT:-1}"
PEER="${BENCH_PEER:-1}"
WARMUP="${BENCH_WARMUP:-100000}"
EXTRA=()
[[ -n "${BENCH_BATCH_SIZE:-}" ]] && EXTRA+=(--etl.batch-size="$BENCH_BATCH_SIZE")

prepare
FILE="$WORK/products-bench.csv"
log "generating $ROWS rows"
beval gen "$FILE" "$ROWS" false
log "file: $gen_bytes bytes, $gen_invalid invalid rows"
read -r rows invalid valid bytes <<<"$gen_rows $gen_invalid $gen_valid $gen_bytes"
warm_valid=0; WARM_FILE=""
if ((WARMUP > 0)); then
  WARM_FILE="$WORK/warmup.csv"
  beval gen "$WARM_FILE" "$WARMUP" false W
  warm_valid="$gen_valid"
fi
read -r gen_rows gen_invalid gen_valid gen_bytes <<<"$rows $invalid $valid $bytes"

svc=(); e2e=(); peer=(); copy=(); rss=(); r_peer=(); r_copy=(); r_e2e_peer=(); secs=()
for ((i = 1; i <= REPEAT; i++)); do
  start_service "${EXTRA[@]}"
  if [[ -n "$WARM_FILE" ]]; then
    drop "$WARM_FILE" "products-warmup-$i.csv"
    beval wait-run products_csv "products-warmup-$i.csv" 600
    log "run $i/$REPEAT: warm-up file of $WARMUP rows done"
  fi
  bench sql "CHECKPOINT" >/dev/null
  name="products-bench-$i.csv"
  drop "$FILE" "$name"
  log "run $i/$REPEAT: dropped $name"
  beval wait-run products_csv "$name" 3600
  bench verify "$run_id" "$ROWS" "$gen_valid" 0 0 "$gen_invalid" "$((gen_valid + warm_valid))" "$ROWS" >/dev/null \
    || { tail -30 "$SERVICE_LOG" >&2; die "counts of run $run_id are wrong"; }
  run_s="$(calc "($run_finished_ms - $run_started_ms) / 1000" 3)"
  wall_s="$(calc "($run_finished_ms - $DROP_MS) / 1000" 3)"
  svc+=("$(calc "$ROWS / $run_s" 0)"); e2e+=("$(calc "$ROWS / $wall_s" 0)"); secs+=("$run_s")
  rss+=("$(( $(peak_rss_kb) / 1024 ))")
  log "run $i: service ${svc[-1]} rows/s ($run_s s in the run, $wall_s s from drop), peak RSS ${rss[-1]} MB, counts verified"
  if [[ "$PEER" == 1 ]]; then
    # The peer starts as quietly as the service did: otherwise autovacuum works through the rows the
    # service just wrote while the peer runs (sampled once: raw_csv_data ~8 s, unified_records 4-7 s).
    quiet_database
    beval peer "$FILE" $WARM_FILE
    beval copy "$FILE"
    [[ "$copy_rows" == "$ROWS" ]] || die "COPY loaded $copy_rows rows, expected $ROWS"
    peer+=("$(calc "$peer_rows / $peer_secs" 0)"); copy+=("$(calc "$copy_rows / $copy_secs" 0)")
    r_peer+=("$(calc "${svc[-1]} / ${peer[-1]}")"); r_copy+=("$(calc "${svc[-1]} / ${copy[-1]}" 3)")
    r_e2e_peer+=("$(calc "${e2e[-1]} / ${peer[-1]}")")
    log "run $i: peer ${peer[-1]} rows/s, COPY ${copy[-1]} rows/s, service/peer ${r_peer[-1]}"
  fi
  stop_service
done

fmt() { read -r m lo hi <<<"$(stats3 "$@")"; if ((REPEAT > 1)); then printf '%s (%s-%s)' "$m" "$lo" "$hi"; else printf '%s' "$m"; fi; }
echo
echo "ingest: $ROWS rows ($gen_bytes bytes, $gen_invalid invalid), $REPEAT run(s), median (min-max)," \
  "$( ((WARMUP > 0)) && echo "after a $WARMUP-row warm-up file$( [[ "$PEER" == 1 ]] && echo " (service and peer)")" || echo "cold: the first file after start")"
printf '%-34s | %-24s | %-18s | %-20s | %-16s | %s\n' "loader" "rows/s" "x peer" "x COPY" "peak RSS MB" "heap"
printf '%-34s | %-24s | %-18s | %-20s | %-16s | %s\n' "service (run started->finished)" "$(fmt "${svc[@]}")" \
  "$( ((${#r_peer[@]})) && fmt "${r_peer[@]}" || echo -)" "$( ((${#r_copy[@]})) && fmt "${r_copy[@]}" || echo -)" "$(fmt "${rss[@]}")" "-Xmx$HEAP"
printf '%-34s | %-24s | %-18s | %-20s | %-16s | %s\n' "service (file dropped->finished)" "$(fmt "${e2e[@]}")" \
  "$( ((${#r_e2e_peer[@]})) && fmt "${r_e2e_peer[@]}" || echo -)" "-" "-" "-"
if [[ "$PEER" == 1 ]]; then
  printf '%-34s | %-24s | %-18s | %-20s | %-16s | %s\n' "peer: JDBC batch 1000, raw+unified" "$(fmt "${peer[@]}")" "1" "-" "-" "-"
  printf '%-34s | %-24s | %-18s | %-20s | %-16s | %s\n' "floor: COPY into plain table" "$(fmt "${copy[@]}")" "-" "1" "-" "-"
  echo "headline: service / peer = $(fmt "${r_peer[@]}") (target ≥ 1.5)"
else
  echo "headline: service $(fmt "${svc[@]}") rows/s, peak RSS $(fmt "${rss[@]}") MB with -Xmx$HEAP (no peer run)"
fi
