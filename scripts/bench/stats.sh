#!/usr/bin/env bash
# /stats latency: median of N requests (default 300, after 20 warm-up requests) on an empty
# database, then again with RECORDS unified records (default 5,000,000). Target: <= 3x.
#
# The records are bulk-inserted with SQL (INSERT ... SELECT generate_series) straight into
# unified_records, with source_stats raised by the same amount in the same transaction, as the
# merge does; ingesting 5M rows through the inbox would only take longer and test the same
# thing. The script then checks that /stats reports exactly count(*) of unified_records.
#
#   scripts/bench/stats.sh [RECORDS]     BENCH_STATS_REQUESTS=N, BENCH_REPEAT=3 (fresh service each)
source "$(dirname "$0")/lib.sh"

RECORDS="${1:-5000000}"
N="${BENCH_STATS_REQUESTS:-300}"
REPEAT="${BENCH_REPEAT:-1}"
prepare
e_med=(); e_min=(); e_max=(); f_med=(); f_min=(); f_max=(); ratios=()
for ((i = 1; i <= REPEAT; i++)); do
  start_service
  URL="http://127.0.0.1:$HTTP_PORT/stats"
  beval stats-latency "$URL" "$N"
  e_med+=("$lat_median_ms"); e_min+=("$lat_min_ms"); e_max+=("$lat_max_ms")
  log "run $i: empty: median $lat_median_ms ms"

  log "run $i: inserting $RECORDS unified records"
  t0="$(now_ms)"
  bench sql "BEGIN; INSERT INTO unified_records (source, external_id, name, category, value, attributes, content_hash, first_run_id, last_run_id)
    SELECT 'products_csv', 'S' || g, 'Product ' || g, 'bench', (g % 1000) + 1, jsonb_build_object('brand', 'Brand-' || (g % 1000)), md5(g::text), 0, 0
    FROM generate_series(1, $RECORDS) g;
    UPDATE source_stats SET record_count = record_count + $RECORDS WHERE source = 'products_csv'; COMMIT" >/dev/null
  bench sql "VACUUM ANALYZE unified_records" "CHECKPOINT" >/dev/null
  log "run $i: inserted in $(calc "($(now_ms) - $t0) / 1000" 1) s"

  beval stats-latency "$URL" "$N"
  f_med+=("$lat_median_ms"); f_min+=("$lat_min_ms"); f_max+=("$lat_max_ms")
  counted="$(bench sql "SELECT count(*) FROM unified_records WHERE source = 'products_csv'")"
  [[ "$counted" == "$RECORDS" ]] || die "unified_records has $counted products rows, expected $RECORDS"
  grep -q "\"products_csv\":$RECORDS[,}]" <<<"$lat_body" || die "/stats does not report products_csv: $RECORDS: $lat_body"
  ratios+=("$(calc "${f_med[-1]} / ${e_med[-1]}")")
  log "run $i: with records: median ${f_med[-1]} ms, ratio ${ratios[-1]}"
  stop_service
done

fmt() { read -r m lo hi <<<"$(stats3 "$@")"; if ((REPEAT > 1)); then printf '%s (%s-%s)' "$m" "$lo" "$hi"; else printf '%s' "$m"; fi; }
echo
echo "stats: GET /stats, $N requests per measurement after 20 warm-up, one client, ms; $REPEAT run(s): median (min-max) over runs"
printf '%-28s | %-24s | %-24s | %s\n' "database" "median latency" "fastest request" "slowest request"
printf '%-28s | %-24s | %-24s | %s\n' "empty" "$(fmt "${e_med[@]}")" "$(fmt "${e_min[@]}")" "$(fmt "${e_max[@]}")"
printf '%-28s | %-24s | %-24s | %s\n' "$RECORDS unified records" "$(fmt "${f_med[@]}")" "$(fmt "${f_min[@]}")" "$(fmt "${f_max[@]}")"
echo "headline: /stats median with $RECORDS records / empty = $(fmt "${ratios[@]}") (target <= 3); counts exact ($RECORDS)"
