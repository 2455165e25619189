#!/usr/bin/env bash
# CoinGecko benchmark: the real 16,354-coin list (src/test/resources/coingecko/coins_list.json,
# the same file the route's tests use) served by a local fake (Bench.java, JDK HttpServer) at
# {base-url}/coins/list. The service polls within 10 s of its start; the figure is the time from
# the fake having sent the whole response to the run's finished_at (source coingecko_api), and
# rows/s over that time. Target: stored within 1 s. Counts are checked exactly.
#
# Needs the CoinGecko route (issue 3); on a branch without it the script fails: no run appears.
#   scripts/bench/coingecko.sh        BENCH_REPEAT=3 for medians (a fresh service each time)
source "$(dirname "$0")/lib.sh"

PAYLOAD="$REPO/src/test/resources/coingecko/coins_list.json"
REPEAT="${BENCH_REPEAT:-1}"
COINS="$(grep -o '"id":' "$PAYLOAD" | wc -l)"
prepare

secs=(); rps=()
for ((i = 1; i <= REPEAT; i++)); do
  FAKE_PORT="$(free_port)"
  SENT="$WORK/sent-$i"
  java -cp "$CP" Bench fake-coingecko "$FAKE_PORT" "$PAYLOAD" "$SENT" 2>"$WORK/fake-$i.log" &
  FAKE_PID=$!
  BENCH_COINGECKO_ENABLED=true start_service --etl.coingecko.base-url="http://127.0.0.1:$FAKE_PORT"
  beval wait-run coingecko_api - 120
  [[ -s "$SENT" ]] || die "the fake never served /coins/list"
  sent_ms="$(cat "$SENT")"
  errors="$(bench sql "SELECT concat_ws(' ',
      CASE WHEN (SELECT count(*) FROM unified_records WHERE source = 'coingecko_api') <> $COINS THEN 'unified_records' END,
      CASE WHEN (SELECT record_count FROM source_stats WHERE source = 'coingecko_api') <> $COINS THEN 'source_stats' END,
      CASE WHEN (SELECT count(*) FROM raw_api_data WHERE run_id = $run_id) <> 1 THEN 'raw_api_data' END)")"
  [[ -z "$errors" && "$run_read" == "$COINS" && "$run_inserted" == "$COINS" && "$run_rejected" == 0 ]] \
    || die "counts wrong: run read=$run_read inserted=$run_inserted rejected=$run_rejected (expected $COINS), mismatched: $errors"
  secs+=("$(calc "($run_finished_ms - $sent_ms) / 1000" 3)")
  rps+=("$(calc "$COINS / ${secs[-1]}" 0)")
  log "run $i: stored ${secs[-1]} s after the response was sent (${rps[-1]} rows/s), counts verified"
  stop_service
  kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true; FAKE_PID=""
done

fmt() { read -r m lo hi <<<"$(stats3 "$@")"; if ((REPEAT > 1)); then printf '%s (%s-%s)' "$m" "$lo" "$hi"; else printf '%s' "$m"; fi; }
echo
echo "coingecko: $COINS coins, $REPEAT run(s), median (min-max)"
printf '%-46s | %s\n' "response sent -> run finished_at (s)" "$(fmt "${secs[@]}")"
printf '%-46s | %s\n' "rows/s" "$(fmt "${rps[@]}")"
echo "headline: $COINS coins stored $(fmt "${secs[@]}") s after the response (target <= 1 s)"
