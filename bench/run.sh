#!/usr/bin/env bash
# Runs the benchmarks on this machine and writes bench/RESULTS.md: start-up to ready and heap,
# content validate, the CDS hook under load against a no-op hook, and $give-education against
# posting the same transaction bundle straight to /fhir. Loopback only; every loop is bounded.
#   bench/run.sh            the HTTP benchmarks, then the JMH microbenchmarks (about 7 minutes)
#   bench/run.sh --soak     and then a soak: SOAK_MINUTES (10) of moderate mixed load, with the
#                           heap after a full GC read every minute
# Not part of CI: timings are measurements, not tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=false
[ "${1:-}" = "--soak" ] && SOAK=true
SOAK_MINUTES=${SOAK_MINUTES:-10}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
GIVES=${GIVES:-100}
JAR=fhir-plugin/target/fhir-plugin.jar
BENCH_JAR=bench/target/bench.jar
[ -f "$JAR" ] && [ -f "$BENCH_JAR" ] || mvn -q -B -DskipTests package
PORT=${PORT:-18080}
DATA=$(mktemp -d)
OUT=bench/RESULTS.md

start=$(date +%s.%N)
java -Xmx512m -jar "$JAR" --demo --cds-insecure-no-jwt --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 0.1
done
ready=$(python3 -c "import time; print(round(time.time() - $start, 1))")
# Heap used after a full GC, in MB.
heap_mb() {
  jcmd "$PID" GC.run >/dev/null
  echo $(( $(jcmd "$PID" GC.heap_info | grep -oE 'used [0-9]+K' | head -n 1 | grep -oE '[0-9]+') / 1024 ))
}
heap=$(heap_mb)
rss=$(ps -o rss= -p "$PID" | tr -d ' ')

validate() {
  local s e
  s=$(date +%s.%N)
  java "$@" -jar "$JAR" content --content-dir content validate >/dev/null 2>&1
  e=$(date +%s.%N)
  python3 -c "print(round($e - $s, 2))"
}
v_cold=$(validate)
v_cds=$( [ -f fhir-plugin/target/fhir-plugin.jsa ] && validate -XX:SharedArchiveFile=fhir-plugin/target/fhir-plugin.jsa || echo n/a)

load=$(java -Dlogback.configurationFile=bench/logback-driver.xml -cp "fhir-plugin/target/lib/*" bench/LoadDriver.java "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$GIVES" 2>/dev/null)
heap_after=$(heap_mb)

soak_rows=""
if $SOAK; then
  java -Dlogback.configurationFile=bench/logback-driver.xml -cp "fhir-plugin/target/lib/*" bench/LoadDriver.java "http://127.0.0.1:$PORT" soak "$((SOAK_MINUTES * 60))" 4 \
    >"$DATA/soak.out" 2>/dev/null &
  SOAK_PID=$!
  for minute in $(seq 0 "$SOAK_MINUTES"); do
    soak_rows+="| ${minute} | $(heap_mb) |"$'\n'
    [ "$minute" -lt "$SOAK_MINUTES" ] && sleep 60
  done
  wait "$SOAK_PID"
fi

# The in-process paths, with the server stopped so that it takes no CPU from them.
kill "$PID" && wait "$PID" 2>/dev/null || true
java -cp "$BENCH_JAR:bench/target/lib/*" org.openjdk.jmh.Main -foe true -rf text -rff "$DATA/jmh.txt" \
  >"$DATA/jmh.log" 2>&1

{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) at $(date -u +%H:%M) UTC."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), bogomips" \
    "$(grep -m1 bogomips /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr);"
  echo "JVM: $(java -version 2>&1 | head -n 1); the server ran with \`-Xmx512m\`, embedded H2, \`--demo\`."
  echo "The load driver ran on the same machine (2 cores shared with the server)."
  echo
  echo "## Start-up and memory"
  echo
  echo "| what | figure | bar |"
  echo "|---|---|---|"
  echo "| start-up to ready (fresh H2, content loaded, demo data) | ${ready} s | <= 20 s |"
  echo "| heap used after start-up and a full GC | ${heap} MB | runs with -Xmx512m |"
  echo "| heap used after the load and a full GC | ${heap_after} MB | |"
  echo "| resident memory of the server process after start-up | $((rss / 1024)) MB | |"
  echo "| \`content validate\`, cold JVM | ${v_cold} s | <= 5 s |"
  echo "| \`content validate\` with the build's class-data-sharing archive | ${v_cds} s | <= 5 s |"
  echo
  echo "## CDS hook under load (${SECONDS_PER_RUN} s of each hook per level, in 5 alternating rounds after 5 s of warm-up each)"
  echo
  echo "The no-op hook is the same server's patient-view service for a patient with an empty chart:"
  echo "the same HTTP, JSON and hook path with nothing to decide. The two alternate, so that a change"
  echo "in the machine's speed falls on both. Bar: p99 <= 50 ms at 16 clients, ratio to the no-op <= 1.5."
  echo
  echo "\`\$give-education\`: ${GIVES} gives, each followed by the same transaction bundle posted to"
  echo "/fhir, after 60 such pairs of warm-up. Bar: ratio <= 1.3."
  echo
  echo "$load"
  if $SOAK; then
    echo
    echo "## Soak (${SOAK_MINUTES} minutes)"
    echo
    echo "4 clients, each calling the encounter-start hook with full prefetch and every tenth time making a"
    echo "whole give (new encounter, response, give), with a 50 ms pause between requests. The heap is read"
    echo "after a full GC every minute."
    echo
    echo "| duration | clients | requests | gives | errors | p50 ms | p99 ms |"
    echo "|---|---|---|---|---|---|---|"
    cat "$DATA/soak.out"
    echo
    echo "| minute | heap after full GC (MB) |"
    echo "|---|---|"
    printf '%s' "$soak_rows"
  fi
  echo
  echo "## In-process hot paths (JMH, one fork, average time per call)"
  echo
  echo "See bench/README.md for what each benchmark measures; each checks its result once before timing."
  echo
  echo '```'
  cat "$DATA/jmh.txt"
  echo '```'
} >"$OUT"
echo "wrote $OUT"
