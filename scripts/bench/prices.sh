#!/usr/bin/env bash
# GET /prices/{coin_id} at 10 million price_snapshots rows: COINS coins (default 1,000) with POINTS
# points each (default 10,000: ten weeks of 10-minute polls), written poll by poll as the markets
# source writes them (every coin of one poll, then the next poll), so one coin's rows are spread
# over the whole table. Then the median latency of N requests (default 200, after 20 warm-up
# requests) for one coin: the default limit (the oldest 1,000 points), one day (144 points) and all
# 10,000 points (limit=10000); and EXPLAIN ANALYZE of the endpoint's statement.
#
# The rows are bulk-inserted with SQL (INSERT ... SELECT generate_series) straight into
# price_snapshots; polling CoinGecko for ten weeks would test the same table. The script checks
# the table's count and each answer's number of items.
#
#   scripts/bench/prices.sh [COINS] [POINTS]     BENCH_PRICES_REQUESTS=N
source "$(dirname "$0")/lib.sh"

COINS="${1:-1000}"
POINTS="${2:-10000}"
N="${BENCH_PRICES_REQUESTS:-200}"
ROWS=$((COINS * POINTS))
COIN="coin-$((COINS / 2))"
prepare
start_service

log "inserting $ROWS price snapshots ($COINS coins x $POINTS polls)"
t0="$(now_ms)"
bench sql "INSERT INTO price_snapshots (coin_id, vs_currency, price, market_cap, total_volume, last_updated, run_id)
  SELECT 'coin-' || c, 'usd', round((1000 + c + sin(p / 50.0) * 10)::numeric, 8), (c * 1000000 + p)::numeric,
         (c * 1000 + p)::numeric, timestamptz '2026-09-01 00:00:00Z' + p * interval '10 minutes', p
    FROM generate_series(0, $POINTS - 1) p, generate_series(1, $COINS) c
   ORDER BY p, c" >/dev/null
insert_s="$(calc "($(now_ms) - $t0) / 1000" 1)"
bench sql "VACUUM ANALYZE price_snapshots" "CHECKPOINT" >/dev/null
log "inserted in $insert_s s"
counted="$(bench sql "SELECT count(*) FROM price_snapshots")"
[[ "$counted" == "$ROWS" ]] || die "price_snapshots has $counted rows, expected $ROWS"
size="$(bench sql "SELECT pg_size_pretty(pg_table_size('price_snapshots')) || ' table, ' || pg_size_pretty(pg_indexes_size('price_snapshots')) || ' index'")"

BASE="http://127.0.0.1:$HTTP_PORT/prices/$COIN"
# measure NAME QUERY EXPECTED_ITEMS: median/min/max of N requests; checks the answer's item count.
measure() {
  local out body items
  out="$(bench stats-latency "$BASE$2" "$N")" || die "GET /prices/$COIN$2 failed"
  eval "$(grep -v '^lat_body=' <<<"$out")"
  body="$(grep '^lat_body=' <<<"$out")"
  items="$(grep -o '"last_updated"' <<<"$body" | wc -l)"
  [[ "$items" == "$3" ]] || die "GET /prices/$COIN$2 answered $items items, expected $3"
  printf '%-34s | %6s | %10s | %10s | %10s\n' "$1" "$3" "$lat_median_ms" "$lat_min_ms" "$lat_max_ms"
}
day_from="2026-09-08T00:00:00Z"; day_to="2026-09-09T00:00:00Z"
rows_table="$(
  measure "default limit (oldest 1,000)" "" 1000
  measure "one day (from, to)" "?from=$day_from&to=$day_to" 144
  measure "every point (limit=10000)" "?limit=10000" "$POINTS"
)"
plan="$(bench sql "EXPLAIN (ANALYZE, BUFFERS) SELECT last_updated, price, market_cap, total_volume FROM price_snapshots
  WHERE coin_id = '$COIN' AND vs_currency = 'usd' AND last_updated >= '-infinity' AND last_updated < 'infinity'
  ORDER BY last_updated LIMIT 1001")"
stop_service

echo
echo "prices: $ROWS price_snapshots rows ($size; inserted in $insert_s s), GET /prices/$COIN, $N requests each after 20 warm-up, one client, ms"
echo "$plan" | sed 's/^/  /'
printf '%-34s | %6s | %10s | %10s | %10s\n' "request" "items" "median" "fastest" "slowest"
echo "$rows_table"
echo "headline: GET /prices/{coin} at $ROWS rows: median $(sed -n 1p <<<"$rows_table" | awk -F'|' '{gsub(/ /,"",$3); print $3}') ms for 1,000 points, $(sed -n 3p <<<"$rows_table" | awk -F'|' '{gsub(/ /,"",$3); print $3}') ms for $POINTS"
