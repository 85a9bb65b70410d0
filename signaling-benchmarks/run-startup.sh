#!/usr/bin/env bash
# Start-up A/B: the bare Undertow baseline and one or more app jars, started in rotation (bare,
# jar 1, jar 2, ..., bare, jar 1, ...), so that machine load drifting during the run touches every
# target alike. Per start: milliseconds from launch to the first 200 of /health/ready, the CPU the
# process had used by then (all threads: main, JIT compilers, GC; /proc/PID/stat), the main
# thread's share of it, and VmRSS 2 s after ready. Medians at the end.
#
# CPU at ready is the figure to compare on a busy machine: on a pinned core the wall time to ready
# is this CPU plus the time other processes took from the core, which a shared build machine
# varies by 2x from one start to the next, while the CPU figure moves by ~10%.
#
# Builds nothing. Usage, from the repository root:
#   signaling-benchmarks/run-startup.sh [JAR ...]        # default: the app module's -all jar
#   STARTS=9 signaling-benchmarks/run-startup.sh /tmp/before.jar signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar
# AppCDS (the warmup training as the container image does it; one archive per jar, then every
# start of that jar maps it):
#   APPCDS=1 signaling-benchmarks/run-startup.sh
#
# Environment (defaults in brackets):
#   STARTS [5]              starts per target
#   BARE_JAR                the baseline (default: this module's target/bare-undertow.jar)
#   APP_ARGS [--rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000]  as run-macro.sh
#   SERVER_JAVA_OPTS        JVM options for every server
#   APPCDS [0]              1: train an archive per app jar with its `warmup` command, start with it
#   SERVER_CPU [0] PROBE_CPU [1]   taskset pinning of the servers and of the readiness probe
#   RESULTS_DIR [signaling-benchmarks/target/startup-<timestamp>]
#
# Only processes this script started are stopped (by PID); nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

STARTS="${STARTS:-5}"
BARE_JAR="${BARE_JAR:-$here/target/bare-undertow.jar}"
APP_ARGS="${APP_ARGS---rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
APPCDS="${APPCDS:-0}"
SERVER_CPU="${SERVER_CPU:-0}"
PROBE_CPU="${PROBE_CPU:-1}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/startup-$(date -u +%Y%m%dT%H%M%SZ)}"

jars=("$@")
if (( ${#jars[@]} == 0 )); then
  jars=("$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar")
fi

die() { echo "run-startup: $*" >&2; exit 1; }
log() { echo "run-startup: $*" >&2; }

for jar in "$BARE_JAR" "${jars[@]}"; do
  [[ -f "$jar" ]] || die "no such jar: $jar (build first: ./mvnw -B -ntp package -DskipTests)"
done
mkdir -p "$RESULTS_DIR"

server_pin=()
probe_pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU")
  probe_pin=(taskset -c "$PROBE_CPU")
fi

hz=$(getconf CLK_TCK)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

cpu_ms() { awk -v hz="$hz" '{print int(($14 + $15) * 1000 / hz)}' "$1" 2>/dev/null || echo 0; }

# The main thread is the busiest thread named "java" (the launcher thread waits in join).
main_cpu_ms() {
  local t best=0 v
  for t in /proc/"$1"/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == java ]] || continue
    v=$(cpu_ms "$t/stat")
    (( v > best )) && best=$v
  done
  echo "$best"
}

name_of() { basename "$1" .jar; }

archive_of() { echo "$RESULTS_DIR/$(name_of "$1").jsa"; }

if [[ "$APPCDS" == 1 ]]; then
  for jar in "${jars[@]}"; do
    # shellcheck disable=SC2086
    "${server_pin[@]}" java $SERVER_JAVA_OPTS -XX:ArchiveClassesAtExit="$(archive_of "$jar")" -jar "$jar" warmup $APP_ARGS \
      >"$RESULTS_DIR/$(name_of "$jar")-train.log" 2>&1 || die "warmup training of $jar failed (see $RESULTS_DIR)"
    [[ -s "$(archive_of "$jar")" ]] || die "no archive written for $jar"
  done
fi

# One start; prints "name ms rss_mib cpu_ms main_cpu_ms". The app's admin listener takes a free
# port of its own (0); a public port taken by another process between the probe and the bind is
# retried with another one.
start_once() {
  local name="$1" jar="$2" port t0 t cpu main rss deadline attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    t0=$(date +%s%N)
    if [[ "$name" == bare ]]; then
      # shellcheck disable=SC2086
      "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$jar" --server.port="$port" >"$RESULTS_DIR/last.log" 2>&1 &
    else
      local cds=()
      [[ "$APPCDS" == 1 ]] && cds=(-XX:SharedArchiveFile="$(archive_of "$jar")")
      # shellcheck disable=SC2086
      "${server_pin[@]}" java $SERVER_JAVA_OPTS "${cds[@]}" -jar "$jar" --server.port="$port" --admin.port=0 \
        $APP_ARGS >"$RESULTS_DIR/last.log" 2>&1 &
    fi
    pid=$!
    deadline=$(( $(date +%s) + 60 ))
    until "${probe_pin[@]}" curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health/ready"; do
      if ! kill -0 "$pid" 2>/dev/null || (( $(date +%s) > deadline )); then
        cleanup
        pid=""
        break
      fi
      sleep 0.01
    done
    [[ -n "$pid" ]] && break
    cp "$RESULTS_DIR/last.log" "$RESULTS_DIR/$name-failed-$attempt.log"
    grep -q "Address already in use" "$RESULTS_DIR/last.log" \
      || die "$name did not become ready (see $RESULTS_DIR/$name-failed-$attempt.log)"
    log "$name: port $port was taken; retrying with another"
  done
  [[ -n "$pid" ]] || die "$name did not become ready after 3 attempts (see $RESULTS_DIR)"
  t=$(( ($(date +%s%N) - t0) / 1000000 ))
  cpu=$(cpu_ms "/proc/$pid/stat")
  main=$(main_cpu_ms "$pid")
  sleep 2
  rss=$(awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$pid/status")
  cleanup
  pid=""
  echo "$name $t $rss $cpu $main"
}

raw="$RESULTS_DIR/starts.txt"
echo "# target ms_to_ready rss_mib cpu_ms_at_ready main_thread_cpu_ms (appcds=$APPCDS, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))" >"$raw"
for i in $(seq 1 "$STARTS"); do
  start_once bare "$BARE_JAR" | tee -a "$raw"
  for jar in "${jars[@]}"; do
    start_once "$(name_of "$jar")" "$jar" | tee -a "$raw"
  done
  log "round $i of $STARTS done"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)]}'; }
col() { grep "^$1 " "$raw" | awk -v c="$2" '{print $c}' | median; }
{
  echo
  printf '%-40s %10s %10s %12s %12s\n' "median of $STARTS starts" "ms ready" "RSS MiB" "CPU ms" "main CPU ms"
  for name in bare $(for jar in "${jars[@]}"; do name_of "$jar"; done); do
    printf '%-40s %10s %10s %12s %12s\n' "$name" "$(col "$name" 2)" "$(col "$name" 3)" "$(col "$name" 4)" "$(col "$name" 5)"
  done
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$raw"
echo "raw: $raw"
