#!/usr/bin/env bash
# CoinGecko benchmark: the real 16,354-coin list (src/test/resources/coingecko/coins_list.json,
# the same file the route's tests use) served by a local fake (Bench.java, JDK HttpServer) at
# {base-url}/coins/list. Two polls per service, each timed from the fake having sent the whole
# response to the run's finished_at (source coingecko_api), with rows/s over that time:
#   1. the first poll, within 10 s of the service's start (a cold JVM): 16,354 coins inserted;
#   2. a later poll (POST /runs/coingecko), where the fake serves every coin with a changed name:
#      16,354 records updated, by a JVM that has run one poll before.
# Target: stored within 1 s. Counts are checked exactly.
#
#   scripts/bench/coingecko.sh        BENCH_REPEAT=3 for medians (a fresh service each time)
source "$(dirname "$0")/lib.sh"

PAYLOAD="$REPO/src/test/resources/coingecko/coins_list.json"
REPEAT="${BENCH_REPEAT:-1}"
COINS="$(grep -o '"id":' "$PAYLOAD" | wc -l)"
prepare

ADMIN_TOKEN="bench-$RANDOM$RANDOM"
secs=(); rps=(); secs2=(); rps2=()
for ((i = 1; i <= REPEAT; i++)); do
  FAKE_PORT="$(free_port)"
  SENT="$WORK/sent-$i"
  java -cp "$CP" Bench fake-coingecko "$FAKE_PORT" "$PAYLOAD" "$SENT" 2>"$WORK/fake-$i.log" &
  FAKE_PID=$!
  BENCH_COINGECKO_ENABLED=true start_service --etl.coingecko.base-url="http://127.0.0.1:$FAKE_PORT" \
    --etl.admin-token="$ADMIN_TOKEN"
  beval wait-run coingecko_api - 120
  [[ -s "$SENT" ]] || die "the fake never served /coins/list"
  read -r served1 sent_ms < <(tail -1 "$SENT")
  errors="$(bench sql "SELECT concat_ws(' ',
      CASE WHEN (SELECT count(*) FROM unified_records WHERE source = 'coingecko_api') <> $COINS THEN 'unified_records' END,
      CASE WHEN (SELECT record_count FROM source_stats WHERE source = 'coingecko_api') <> $COINS THEN 'source_stats' END,
      CASE WHEN (SELECT count(*) FROM raw_api_data WHERE run_id = $run_id) <> 1 THEN 'raw_api_data' END)")"
  [[ -z "$errors" && "$run_read" == "$COINS" && "$run_inserted" == "$COINS" && "$run_rejected" == 0 ]] \
    || die "counts wrong: run read=$run_read inserted=$run_inserted rejected=$run_rejected (expected $COINS), mismatched: $errors"
  secs+=("$(calc "($run_finished_ms - $sent_ms) / 1000" 3)")
  rps+=("$(calc "$COINS / ${secs[-1]}" 0)")
  log "run $i: stored ${secs[-1]} s after the response was sent (${rps[-1]} rows/s), counts verified"

  beval trigger-poll "http://127.0.0.1:$HTTP_PORT" "$ADMIN_TOKEN"
  beval wait-run coingecko_api "#$trigger_run_id" 120
  read -r served2 sent_ms < <(tail -1 "$SENT")
  ((served2 > served1)) || die "the fake did not serve the second poll"
  changed="$(bench sql "SELECT count(*) FROM unified_records WHERE source = 'coingecko_api' AND name LIKE '~$served2 %'")"
  [[ "$run_status" == success && "$run_read" == "$COINS" && "$run_updated" == "$COINS" && "$run_inserted" == 0 \
     && "$run_rejected" == 0 && "$changed" == "$COINS" ]] \
    || die "second poll: counts wrong: status=$run_status read=$run_read updated=$run_updated inserted=$run_inserted rejected=$run_rejected renamed=$changed (expected $COINS updated)"
  secs2+=("$(calc "($run_finished_ms - $sent_ms) / 1000" 3)")
  rps2+=("$(calc "$COINS / ${secs2[-1]}" 0)")
  log "run $i: later poll (every coin changed) stored ${secs2[-1]} s after the response (${rps2[-1]} rows/s), counts verified"
  stop_service
  kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true; FAKE_PID=""
done

fmt() { read -r m lo hi <<<"$(stats3 "$@")"; if ((REPEAT > 1)); then printf '%s (%s-%s)' "$m" "$lo" "$hi"; else printf '%s' "$m"; fi; }
echo
echo "coingecko: $COINS coins, $REPEAT run(s), median (min-max)"
printf '%-30s | %-22s | %s\n' "poll" "response sent -> run finished_at (s)" "rows/s"
printf '%-30s | %-22s | %s\n' "first after start (inserts)" "$(fmt "${secs[@]}")" "$(fmt "${rps[@]}")"
printf '%-30s | %-22s | %s\n' "later (every coin updated)" "$(fmt "${secs2[@]}")" "$(fmt "${rps2[@]}")"
echo "headline: $COINS coins stored $(fmt "${secs[@]}") s after the response on the first poll after start, $(fmt "${secs2[@]}") s on a later one (target <= 1 s)"
