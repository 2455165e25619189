#!/bin/bash
# Alternated: lanes 3 (ships) and 1 (one writer), one jar. ingest then rerun.
cd "$(dirname "$0")/../.."
JAR=${1:-target/kasparro-etl.jar}
for w in 3 1 3 1 3 1 3 3; do
  echo "== ingest w$w"
  BENCH_JAR=$JAR BENCH_JAVA_OPTS="-Detl.inbox.writers-per-file=$w" BENCH_REPEAT=1 scripts/bench/ingest.sh 500000 2>&1 | grep -E "run 1: (service|peer)|FAILURE"
done
for w in 3 1 3 1 3 1 3 3; do
  echo "== rerun w$w"
  BENCH_JAR=$JAR BENCH_JAVA_OPTS="-Detl.inbox.writers-per-file=$w" BENCH_REPEAT=1 scripts/bench/rerun.sh 500000 2>&1 | grep -E "run 1:|FAILURE"
done
echo ALLDONE
