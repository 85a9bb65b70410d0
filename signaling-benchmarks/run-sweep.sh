#!/usr/bin/env bash
# Connection sweep: WebSocket ping/pong round trips per second and their p99 against the number of
# connections, the app jar against the bare Undertow baseline, same machine, same run. Its JSON
# lines feed scripts/PerfChart.java, which draws docs/perf/sweep.svg (docs/performance.md).
#
# Builds nothing; first `./mvnw -B -ntp package -DskipTests`. Then, from the repository root:
#   signaling-benchmarks/run-sweep.sh                    # writes $RESULTS_DIR/sweep.jsonl
#   java scripts/PerfChart.java $RESULTS_DIR/sweep.jsonl docs/perf/sweep.svg
# Quick smoke run (figures meaningless, checks the plumbing):
#   SWEEP="10 50" DURATION=2 RUNS=1 WARMUP=2 signaling-benchmarks/run-sweep.sh
#
# Environment (defaults in brackets), as run-macro.sh: DURATION [10] WARMUP [10] RUNS [3]
# ECHO_PAYLOAD [200] TARGETS ["app bare"] APP_JAR BARE_JAR LOAD_JAR APP_ARGS SERVER_JAVA_OPTS
# LOAD_JAVA_OPTS SERVER_CPU [0] LOAD_CPU [1] RESULTS_DIR; and
#   SWEEP ["10 50 100 200 500 1000"]   connection counts, each measured RUNS times per target
#
# Only processes this script started are stopped (trap on EXIT); nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
RUNS="${RUNS:-3}"
ECHO_PAYLOAD="${ECHO_PAYLOAD:-200}"
SWEEP="${SWEEP:-10 50 100 200 500 1000}"
TARGETS="${TARGETS:-app bare}"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
BARE_JAR="${BARE_JAR:-$here/target/bare-undertow.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
APP_ARGS="${APP_ARGS---rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:-}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/sweep-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-sweep: $*" >&2; exit 2; }
log() { echo "[sweep $(date +%H:%M:%S)] $*" >&2; }

for jar in "$APP_JAR" "$BARE_JAR" "$LOAD_JAR"; do
  [[ -f "$jar" ]] || die "missing $jar: run ./mvnw -B -ntp package -DskipTests first"
done
mkdir -p "$RESULTS_DIR"
server_pin=() load_pin=()
if command -v taskset >/dev/null 2>&1 && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU")
  load_pin=(taskset -c "$LOAD_CPU")
fi

started_pids=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

for target in $TARGETS; do
  port=$(free_port)
  # shellcheck disable=SC2086
  case "$target" in
    app) "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.host=127.0.0.1 --server.port="$port" \
           --admin.port="$(free_port)" $APP_ARGS >"$RESULTS_DIR/$target.log" 2>&1 & ;;
    bare) "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$BARE_JAR" --server.port="$port" >"$RESULTS_DIR/$target.log" 2>&1 & ;;
    *) die "unknown target $target (app or bare)" ;;
  esac
  pid=$!
  started_pids+=("$pid")
  deadline=$(( $(date +%s) + 60 ))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health/live"; do
    kill -0 "$pid" 2>/dev/null || die "$target exited; see $RESULTS_DIR/$target.log"
    (( $(date +%s) < deadline )) || die "$target not live within 60 s"
    sleep 0.05
  done
  ws="ws://127.0.0.1:$port/ws"
  log "$target: warm-up ${WARMUP}s"
  # shellcheck disable=SC2086
  "${load_pin[@]}" java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" echo --style ping --url "$ws" --connections 100 \
    --payload-bytes "$ECHO_PAYLOAD" --duration "${WARMUP}s" >/dev/null 2>>"$RESULTS_DIR/load-progress.log" || true
  for connections in $SWEEP; do
    for run in $(seq 1 "$RUNS"); do
      # shellcheck disable=SC2086
      out=$("${load_pin[@]}" java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" echo --style ping --url "$ws" \
        --connections "$connections" --payload-bytes "$ECHO_PAYLOAD" --duration "${DURATION}s" 2>>"$RESULTS_DIR/load-progress.log" || true)
      echo "$target $out" >>"$RESULTS_DIR/sweep.jsonl"
      log "$target $connections connections, run $run: $(grep -o '"roundTripsPerSec":[0-9.]*' <<<"$out" || echo failed)"
    done
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
log "results: $RESULTS_DIR/sweep.jsonl"
