#!/usr/bin/env bash
# Runs the benchmarks on this machine and writes bench/RESULTS.md: start-up to ready and heap,
# content validate, the CDS hook under load against a no-op hook, and $give-education against
# posting the same transaction bundle straight to /fhir. Loopback only; every loop is bounded.
#   bench/run.sh            the HTTP benchmarks, then the JMH microbenchmarks (about 8 minutes, and
#                           up to 5 more while the server warms up)
#   bench/run.sh --soak     and then a soak: SOAK_MINUTES (10) of moderate mixed load, with the
#                           heap after a full GC read every minute
#   bench/run.sh --store    and the store-size comparison: 1,000 more patients of 100 records
#                           (about 8 minutes more)
# Not part of CI: timings are measurements, not tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=false
STORE=false
for arg in "$@"; do
  case "$arg" in
    --soak) SOAK=true ;;
    --store) STORE=true ;;
    *) echo "usage: bench/run.sh [--soak] [--store]" >&2; exit 2 ;;
  esac
done
SOAK_MINUTES=${SOAK_MINUTES:-10}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
GIVES=${GIVES:-200}
JAR=fhir-plugin/target/fhir-plugin.jar
BENCH_JAR=bench/target/bench.jar
# wrk drives the hook load (bench/hooks.py); it is a Debian package.
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
[ -f "$JAR" ] && [ -f fhir-plugin/target/server.jsa ] && [ -f "$BENCH_JAR" ] || mvn -q -B -DskipTests package
PORT=${PORT:-18080}
DATA=$(mktemp -d)
OUT=bench/RESULTS.md
# What RESULTS.md says by hand about the figures, from its "Written by hand" heading on, is kept.
HAND=$(sed -n '/^## Written by hand/,$p' "$OUT" 2>/dev/null || true)

# Starts a server with the given command, waits until /health answers and prints the seconds
# that took; the server's pid is left in PID.
start_server() {
  local start
  start=$(date +%s.%N)
  "$@" --demo --cds-insecure-no-jwt --port "$PORT" >>"$DATA/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
    sleep 0.1
  done
  python3 -c "import time; print(round(time.time() - $start, 1))"
}
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
# Plain java -jar first (then stopped), then the way the README runs it: bin/fhir-plugin, with the
# class-data-sharing archive the build trained. The second server takes the load.
start_server java -Xmx512m -jar "$JAR" --data-dir "$DATA/plain" >"$DATA/ready"
ready_plain=$(cat "$DATA/ready")
kill "$PID" && wait "$PID" 2>/dev/null || true
JAVA_OPTS=-Xmx512m start_server bin/fhir-plugin --data-dir "$DATA/h2" >"$DATA/ready"
ready=$(cat "$DATA/ready")
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
  "$@" content --content-dir content validate >/dev/null 2>&1
  e=$(date +%s.%N)
  python3 -c "print(round($e - $s, 2))"
}
v_cold=$(validate java -jar "$JAR")
v_launcher=$(validate bin/fhir-plugin)

driver() {
  java -Dlogback.configurationFile=bench/logback-driver.xml -cp "fhir-plugin/target/lib/*" bench/LoadDriver.java \
    "http://127.0.0.1:$PORT" "$@" 2>/dev/null
}
driver bodies "$DATA"
hooks=$(python3 bench/hooks.py "http://127.0.0.1:$PORT" "$DATA" "$SECONDS_PER_RUN")
gives=$(driver gives "$GIVES")
heap_after=$(heap_mb)

soak_rows=""
if $SOAK; then
  driver soak "$((SOAK_MINUTES * 60))" 4 >"$DATA/soak.out" &
  SOAK_PID=$!
  for minute in $(seq 0 "$((SOAK_MINUTES - 1))"); do
    soak_rows+="| ${minute} | $(heap_mb) |"$'\n'
    sleep 60
  done
  wait "$SOAK_PID"
  soak_rows+="| ${SOAK_MINUTES}, the load stopped | $(heap_mb) |"$'\n'
fi

# Chart and store size (ChartSize.java): after the load, so that the JIT has compiled the paths.
charts=$(java -cp "fhir-plugin/target/lib/*" bench/ChartSize.java "http://127.0.0.1:$PORT" chart 15 2>/dev/null)
stores=""
if $STORE; then
  stores=$(java -cp "fhir-plugin/target/lib/*" bench/ChartSize.java "http://127.0.0.1:$PORT" store 1000 15 2>/dev/null)
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
  echo "| start-up to ready (fresh H2, content loaded, demo data), \`bin/fhir-plugin\` | ${ready} s | <= 20 s |"
  echo "| the same with plain \`java -jar\` (no class-data-sharing archive) | ${ready_plain} s | |"
  echo "| heap used after start-up and a full GC | ${heap} MB | runs with -Xmx512m |"
  echo "| heap used after the load and a full GC | ${heap_after} MB | |"
  echo "| resident memory of the server process after start-up | $((rss / 1024)) MB | |"
  echo "| \`content validate\` on the whole library, \`bin/fhir-plugin\` | ${v_launcher} s | <= 5 s |"
  echo "| the same with plain \`java -jar\` | ${v_cold} s | |"
  echo
  echo "## CDS hook under load (wrk; ${SECONDS_PER_RUN} s of each hook per level, in 5 alternating rounds after 5 s of warm-up each)"
  echo
  echo "The no-op hook is the same server's patient-view service for a patient with an empty chart:"
  echo "the same HTTP, JSON and hook path with nothing to decide. The floor is the full-prefetch request"
  echo "sent to a service id the server does not have: the same bytes through the same server, answered"
  echo "404 before the body is parsed. The three alternate, so that a change in the machine's speed falls"
  echo "on all; p50 and p99 are the median over the rounds, the ratios the median of the rounds' ratios"
  echo "with the lowest and highest round's in brackets."
  echo "Bar: p99 <= 50 ms at 16 clients. The ratios are shown to see where time goes; they are not a bar."
  echo
  echo "$hooks"
  echo
  echo "## \`\$give-education\`"
  echo
  echo "${GIVES} gives, each followed by the same transaction bundle posted to /fhir, after 300 such"
  echo "pairs of warm-up (LoadDriver.java). Bar: ratio <= 1.3, read as the ratio of the mean times (the"
  echo "time of all gives to the time of all direct posts); the median ratio is shown beside it."
  echo
  echo "$gives"
  if $SOAK; then
    echo
    echo "## Soak (${SOAK_MINUTES} minutes)"
    echo
    echo "4 clients, each calling the encounter-start hook with full prefetch and every tenth time making a"
    echo "whole give (new encounter, response, give), with a 50 ms pause between requests. The heap is read"
    echo "after a full GC at the start of every minute of the load, with requests in flight (a give holds its"
    echo "rendered handout and its transaction while it runs), and once more when the load has stopped."
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
  echo "## Chart size (ChartSize.java; medians of 15 alternating rounds after 5 of warm-up)"
  echo
  echo "Same server, same run: a small chart (a chronic-prostatitis encounter and four records) against a"
  echo "large one (the same and 13,600 records the rules do not read: 3,000 active Conditions, 10,000"
  echo "Observations over eight years with a yearly PSA, 500 finished medicine requests, 100 procedures)."
  echo "The hook's prefetch is read from /fhir by the discovery templates, as an EHR would."
  echo "Bars: each ratio <= 1.5; \$education + \$populate on the large chart <= 300 ms."
  echo
  echo "$charts"
  if $STORE; then
    echo
    echo "## Store size (ChartSize.java store 1000)"
    echo
    echo "A small chart timed in the store as it was, then 1,000 patients of 100 records each loaded"
    echo "(100,000 resources), then a second small chart of the same shape timed. Bar: each ratio <= 1.3."
    echo
    echo "$stores"
  fi
  echo
  echo "## In-process hot paths (JMH, one fork, average time per call)"
  echo
  echo "See bench/README.md for what each benchmark measures; each checks its result once before timing."
  echo
  echo '```'
  cat "$DATA/jmh.txt"
  echo '```'
  if [ -n "$HAND" ]; then
    echo
    echo "$HAND"
  fi
} >"$OUT"
echo "wrote $OUT"
