#!/usr/bin/env bash
# Smoke test of a running Kasparro ETL instance: exit 0 only when the whole cycle worked.
#
#   scripts/smoke_test.sh [BASE_URL] [INBOX_DIR]      (defaults http://localhost:8000 ./inbox)
#
# 1. waits for GET /health to answer 200;
# 2. reads records_by_source from GET /stats;
# 3. drops a products and a vendors CSV into INBOX_DIR: the rows of samples/products.csv and
#    samples/vendors.csv with ids unique to this run (so a re-run against an instance that
#    already holds the samples still adds records), written under a hidden temporary name
#    and renamed, so the service never sees a half-written file;
# 4. waits until both files' runs are finished and checks: products_csv grew by exactly 3
#    and vendors_csv by exactly 2, and each run rejected exactly 2 rows;
# 5. prints SMOKE TEST PASSED.
#
# Needs bash and curl only (it runs inside the app image: docker compose exec app
# scripts/smoke_test.sh). INBOX_DIR must be the directory the service watches, as seen
# from where this script runs.
#
# Environment:
#   SMOKE_HEALTH_TIMEOUT  seconds to wait for /health = 200          (default 60)
#   SMOKE_TIMEOUT         seconds to wait for both files to be loaded (default 120)
#   SMOKE_CURL_MAX_TIME   cap in seconds of one HTTP request          (default 10)
set -euo pipefail

BASE_URL="${1:-http://localhost:8000}"
BASE_URL="${BASE_URL%/}"
INBOX_DIR="${2:-./inbox}"
HEALTH_TIMEOUT="${SMOKE_HEALTH_TIMEOUT:-60}"
INGEST_TIMEOUT="${SMOKE_TIMEOUT:-120}"
CURL_MAX_TIME="${SMOKE_CURL_MAX_TIME:-10}"

EXPECTED_PRODUCTS=3
EXPECTED_PRODUCTS_REJECTED=2
EXPECTED_VENDORS=2
EXPECTED_VENDORS_REJECTED=2

log() { printf '[smoke] %s\n' "$*"; }
fail() {
  printf 'SMOKE TEST FAILED: %s\n' "$*" >&2
  exit 1
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for setting in HEALTH_TIMEOUT INGEST_TIMEOUT CURL_MAX_TIME; do
  is_uint "${!setting}" || fail "$setting must be a whole number of seconds, got '${!setting}'"
done

command -v curl > /dev/null 2>&1 || fail "curl is not installed"
[[ -d "$INBOX_DIR" ]] || fail "inbox directory '$INBOX_DIR' does not exist"
[[ -w "$INBOX_DIR" ]] || fail "inbox directory '$INBOX_DIR' is not writable"

# --- HTTP ------------------------------------------------------------------------------
# http_get URL [MAX_TIME]: sets STATUS (000 when no answer) and BODY; never exits.
STATUS=000
BODY=
http_get() {
  local url="$1" max_time="${2:-$CURL_MAX_TIME}" out
  if ((max_time < 1)); then max_time=1; fi
  if out="$(curl -sS --connect-timeout "$max_time" --max-time "$max_time" \
    -H 'Accept: application/json' -w '\n%{http_code}' "$url" 2> /dev/null)"; then
    STATUS="${out##*$'\n'}"
    BODY="${out%$'\n'*}"
  else
    STATUS=000
    BODY=
  fi
  # One line: pretty-printed JSON parses the same way.
  BODY="$(printf '%s' "$BODY" | tr -d '\r\n')"
}

# --- JSON, with bash and grep only (no jq in the image) --------------------------------
# source_count JSON SOURCE: the number at records_by_source.SOURCE.
source_count() {
  local json="$1" source="$2" ws='[[:space:]]*'
  local obj_re="\"records_by_source\"${ws}:${ws}\\{([^}]*)\\}"
  [[ "$json" =~ $obj_re ]] || return 1
  local inner="${BASH_REMATCH[1]}"
  local num_re="\"${source}\"${ws}:${ws}([0-9]+)"
  [[ "$inner" =~ $num_re ]] || return 1
  printf '%s' "${BASH_REMATCH[1]}"
}

# field OBJECT KEY: a number or a string value of KEY in a flat JSON object.
field() {
  local json="$1" key="$2" ws='[[:space:]]*'
  local num_re="\"${key}\"${ws}:${ws}(-?[0-9]+)"
  local str_re="\"${key}\"${ws}:${ws}\"([^\"]*)\""
  if [[ "$json" =~ $num_re ]] || [[ "$json" =~ $str_re ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  else
    return 1
  fi
}

# run_for_file SOURCE FILE_NAME: the run object (from GET /runs) that mentions FILE_NAME.
# Run items are flat objects, so each {...} without inner braces is one run.
run_for_file() {
  local source="$1" file="$2"
  http_get "$BASE_URL/runs?source=${source}&limit=50"
  [[ "$STATUS" == 200 ]] || return 1
  printf '%s' "$BODY" | grep -o '{[^{}]*}' | grep -F "\"${file}\"" | head -n 1
}

# --- 1. health -------------------------------------------------------------------------
log "waiting up to ${HEALTH_TIMEOUT}s for $BASE_URL/health"
deadline=$((SECONDS + HEALTH_TIMEOUT))
while :; do
  # No single request outlives the deadline.
  max_time=$((deadline - SECONDS))
  if ((max_time > CURL_MAX_TIME)); then max_time=$CURL_MAX_TIME; fi
  http_get "$BASE_URL/health" "$max_time"
  [[ "$STATUS" == 200 ]] && break
  if ((SECONDS >= deadline)); then
    if [[ "$STATUS" == 000 ]]; then
      fail "no answer from $BASE_URL/health within ${HEALTH_TIMEOUT}s (is the service running at $BASE_URL?)"
    fi
    fail "$BASE_URL/health answered $STATUS instead of 200 within ${HEALTH_TIMEOUT}s: ${BODY:0:300}"
  fi
  sleep 1
done
log "health: $BODY"

# --- 2. counts before ------------------------------------------------------------------
http_get "$BASE_URL/stats"
[[ "$STATUS" == 200 ]] || fail "GET /stats answered $STATUS: ${BODY:0:300}"
products_before="$(source_count "$BODY" products_csv)" ||
  fail "GET /stats has no records_by_source.products_csv: ${BODY:0:300}"
vendors_before="$(source_count "$BODY" vendors_csv)" ||
  fail "GET /stats has no records_by_source.vendors_csv: ${BODY:0:300}"
log "before: products_csv=$products_before vendors_csv=$vendors_before"

# --- 3. drop the files -----------------------------------------------------------------
stamp="$(date +%s)-$$-${RANDOM}"
id="smoke-${stamp}"
products_file="products-smoke-${stamp}.csv"
vendors_file="vendors-smoke-${stamp}.csv"
products_tmp="$INBOX_DIR/.${products_file}.tmp"
vendors_tmp="$INBOX_DIR/.${vendors_file}.tmp"
cleanup() { rm -f -- "$products_tmp" "$vendors_tmp"; }
trap cleanup EXIT

# Same rows as samples/products.csv (3 valid; a bad price and a missing id are rejected).
cat > "$products_tmp" << EOF
product_id,name,category,price,extra_col
${id}-1,Phone,Electronics,699,foo
${id}-2,Laptop,ELECTRONICS,1299,bar
${id}-3,Chair,Furniture,not_a_number,baz
,Table,Furniture,199,missing_id
${id}-4,Phone,Electronics,699,duplicate
EOF
# Same rows as samples/vendors.csv (2 valid; a bad amount and an empty name are rejected).
cat > "$vendors_tmp" << EOF
vendor_id,product_name,group,amount
${id}-A1,Desk,FURNITURE,250.50
${id}-A2,Lamp,Furniture,invalid_price
${id}-A3,Mouse,Electronics,29.99
${id}-A4,,Electronics,19.99
EOF
mv -- "$products_tmp" "$INBOX_DIR/$products_file"
mv -- "$vendors_tmp" "$INBOX_DIR/$vendors_file"
log "dropped $INBOX_DIR/$products_file and $INBOX_DIR/$vendors_file"

# --- 4. wait until both runs are finished and the counts have moved --------------------
log "waiting up to ${INGEST_TIMEOUT}s for both files to be loaded"
deadline=$((SECONDS + INGEST_TIMEOUT))
products_run=
vendors_run=
while :; do
  for f in "$products_file" "$vendors_file"; do
    if compgen -G "$INBOX_DIR/.error/${f%.csv}*.csv" > /dev/null; then
      fail "$f was moved to $INBOX_DIR/.error/ (see GET /runs for the reason)"
    fi
  done
  [[ -n "$products_run" ]] || products_run="$(run_for_file products_csv "$products_file")" || products_run=
  [[ -n "$vendors_run" ]] || vendors_run="$(run_for_file vendors_csv "$vendors_file")" || vendors_run=
  # A failed run fails the test now; a run that is still running is looked up again.
  for run in "$products_run" "$vendors_run"; do
    if [[ -n "$run" && "$(field "$run" status || true)" == failed ]]; then
      fail "a smoke file's run failed: $run"
    fi
  done
  if [[ -n "$products_run" && "$(field "$products_run" status || true)" == running ]]; then products_run=; fi
  if [[ -n "$vendors_run" && "$(field "$vendors_run" status || true)" == running ]]; then vendors_run=; fi

  products_now=
  vendors_now=
  http_get "$BASE_URL/stats"
  if [[ "$STATUS" == 200 ]]; then
    products_now="$(source_count "$BODY" products_csv)" || products_now=
    vendors_now="$(source_count "$BODY" vendors_csv)" || vendors_now=
  fi
  if [[ -n "$products_run" && -n "$vendors_run" && -n "$products_now" && -n "$vendors_now" ]] &&
    ((products_now - products_before >= EXPECTED_PRODUCTS && vendors_now - vendors_before >= EXPECTED_VENDORS)); then
    break
  fi
  if ((SECONDS >= deadline)); then
    [[ -n "$products_run" ]] || fail "no finished products_csv run for $products_file in GET /runs after ${INGEST_TIMEOUT}s"
    [[ -n "$vendors_run" ]] || fail "no finished vendors_csv run for $vendors_file in GET /runs after ${INGEST_TIMEOUT}s"
    fail "records_by_source did not grow by $EXPECTED_PRODUCTS/$EXPECTED_VENDORS within ${INGEST_TIMEOUT}s:" \
      "products_csv $products_before -> ${products_now:-?}, vendors_csv $vendors_before -> ${vendors_now:-?}"
  fi
  sleep 2
done
log "after: products_csv=$products_now vendors_csv=$vendors_now"

# --- 5. checks -------------------------------------------------------------------------
products_delta=$((products_now - products_before))
vendors_delta=$((vendors_now - vendors_before))
((products_delta == EXPECTED_PRODUCTS)) ||
  fail "products_csv grew by $products_delta, expected exactly $EXPECTED_PRODUCTS"
((vendors_delta == EXPECTED_VENDORS)) ||
  fail "vendors_csv grew by $vendors_delta, expected exactly $EXPECTED_VENDORS"

# check_run NAME RUN_JSON EXPECTED_REJECTED
check_run() {
  local name="$1" run="$2" expected_rejected="$3" status rejected run_id
  status="$(field "$run" status)" || fail "run of $name has no status: $run"
  [[ "$status" == success ]] || fail "run of $name ended '$status': $run"
  rejected="$(field "$run" records_rejected)" || fail "run of $name has no records_rejected: $run"
  [[ "$rejected" == "$expected_rejected" ]] ||
    fail "run of $name rejected $rejected rows, expected $expected_rejected: $run"
  # Cross-check the stored rejected rows of that run, where the endpoint exists.
  if run_id="$(field "$run" id)"; then
    http_get "$BASE_URL/rejections?run_id=${run_id}&limit=1000"
    if [[ "$STATUS" == 200 ]]; then
      local total
      total="$(printf '%s' "$BODY" | grep -o '"total"[[:space:]]*:[[:space:]]*[0-9]*' | tail -n 1 | grep -o '[0-9]*$')" ||
        fail "GET /rejections?run_id=$run_id has no total: ${BODY:0:300}"
      [[ "$total" == "$expected_rejected" ]] ||
        fail "GET /rejections?run_id=$run_id lists $total rows for $name, expected $expected_rejected"
    elif [[ "$STATUS" != 404 ]]; then
      fail "GET /rejections?run_id=$run_id answered $STATUS: ${BODY:0:300}"
    fi
  fi
  log "run of $name: status=$status rejected=$rejected"
}
check_run "$products_file" "$products_run" "$EXPECTED_PRODUCTS_REJECTED"
check_run "$vendors_file" "$vendors_run" "$EXPECTED_VENDORS_REJECTED"

echo "SMOKE TEST PASSED"
