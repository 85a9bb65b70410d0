#!/usr/bin/env bash
# Macro benchmark: the real app jar against the bare Undertow baseline, same machine, same run.
#
# Builds nothing. Run first, from the repository root:
#   ./mvnw -B -ntp package -DskipTests
# then:
#   signaling-benchmarks/run-macro.sh
# Quick smoke run:
#   DURATION=2 RUNS=1 STARTUP_RUNS=1 CONNECTIONS=500 signaling-benchmarks/run-macro.sh
#
# Environment (defaults in brackets):
#   DURATION [10]          seconds per throughput run (http, echo, relay) and per idle hold
#   WARMUP [10]            unmeasured seconds of HTTP and WebSocket traffic before the measured runs
#   RUNS [3]               runs per figure; the median is reported
#   STARTUP_RUNS [5]       starts per server for start-to-ready and idle RSS
#   CONNECTIONS [10000]    idle WebSockets held for the RSS-per-connection figure
#   ROOM_SIZE [2]          room size for hold and relay
#   ECHO_CONNECTIONS [100] ECHO_PAYLOAD [200]        WebSocket echo / ping round trips
#   RELAY_CONNECTIONS [1000] RELAY_RATE [20]         relay at a fixed offered load (per-connection
#                          rate stays under the app's default 50 msg/s limit; 20k msg/s in total is
#                          within what the load tool's nio client (its default) drives from one pinned
#                          core: check the run's pacerMaxLagMs and clientCpuSeconds in results.jsonl
#                          before raising it). Each relay run warms the tool up for 3 s first
#                          (--warmup, kept out of its figures)
#   RELAY_ARGS             extra load-tool flags for every relay run, e.g. "--client jdk" (the client of
#                          the figures up to run C) or "--warmup 0"
#   HTTP_CONNECTIONS [64]  wrk -t1 -cN (or the load tool's http mode when wrk is absent)
#   TARGETS ["app bare"]   which servers to measure: app (APP_JAR), native (APP_NATIVE_JAR: the app
#                          built with -Dws.adapter=native), bare, cluster (two app nodes sharing a
#                          redis-server child: relay with every room's two peers on different nodes
#                          against the same load with both peers on one node of the same cluster,
#                          alternating within each run; throughput, p50/p99 and Redis's CPU)
#   APP_NATIVE_JAR         the native-adapter app jar, needed when TARGETS names native
#   APP_JAR, BARE_JAR, LOAD_JAR   jar paths (default: the module targets)
#   APP_ARGS [--rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000]
#                          extra app flags. The default lifts the per-connection rate limit (the
#                          limiter still runs) so closed-loop ping round trips compare with the
#                          baseline, which has no limit; set APP_ARGS="" to measure stock defaults.
#                          Telemetry stays at the app defaults (JSON logs, health access log off,
#                          Prometheus, OTel sampling 1.0 exporting to none), as the budget asks.
#   SERVER_JAVA_OPTS       JVM options for both servers (default: none, i.e. default heap)
#   APPCDS [1]             also build an AppCDS archive of the app and measure its start with it
#   LOAD_JAVA_OPTS         JVM options for the load tool
#   SERVER_CPU [0] LOAD_CPU [1]   taskset pinning, used when taskset exists and there are 2+ CPUs
#   RESULTS_DIR [signaling-benchmarks/target/macro-<timestamp>]  raw JSON lines and logs
#
# Only processes this script started are stopped (trap on EXIT); nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
RUNS="${RUNS:-3}"
STARTUP_RUNS="${STARTUP_RUNS:-5}"
CONNECTIONS="${CONNECTIONS:-10000}"
ROOM_SIZE="${ROOM_SIZE:-2}"
ECHO_CONNECTIONS="${ECHO_CONNECTIONS:-100}"
ECHO_PAYLOAD="${ECHO_PAYLOAD:-200}"
RELAY_CONNECTIONS="${RELAY_CONNECTIONS:-1000}"
RELAY_RATE="${RELAY_RATE:-20}"
HTTP_CONNECTIONS="${HTTP_CONNECTIONS:-64}"
TARGETS="${TARGETS:-app bare}"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
APP_NATIVE_JAR="${APP_NATIVE_JAR:-}"
BARE_JAR="${BARE_JAR:-$here/target/bare-undertow.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
APP_ARGS="${APP_ARGS---rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:-}"
RELAY_ARGS="${RELAY_ARGS:-}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/macro-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-macro: $*" >&2; exit 2; }
log() { echo "[macro $(date +%H:%M:%S)] $*" >&2; }

for v in DURATION RUNS STARTUP_RUNS CONNECTIONS ROOM_SIZE ECHO_CONNECTIONS ECHO_PAYLOAD RELAY_CONNECTIONS \
         HTTP_CONNECTIONS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number, got '${!v}'"
done
[[ "$RELAY_RATE" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "RELAY_RATE must be a number, got '$RELAY_RATE'"
for t in $TARGETS; do
  case "$t" in
    app) [[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (run ./mvnw -B -ntp package -DskipTests, or TARGETS=bare)" ;;
    native) [[ -n "$APP_NATIVE_JAR" && -f "$APP_NATIVE_JAR" ]] || die "native app jar not found: '$APP_NATIVE_JAR' (build with -Dws.adapter=native, copy the jar, set APP_NATIVE_JAR)" ;;
    bare) [[ -f "$BARE_JAR" ]] || die "bare jar not found: $BARE_JAR (run ./mvnw -B -ntp package -DskipTests)" ;;
    cluster) [[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (run ./mvnw -B -ntp package -DskipTests)"
             command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
               || die "TARGETS=cluster needs redis-server and redis-cli (apt-get install redis-server)" ;;
    *) die "unknown target '$t' in TARGETS (expected app, native, bare and/or cluster)" ;;
  esac
done
[[ -f "$LOAD_JAR" ]] || die "load tool not found: $LOAD_JAR (run ./mvnw -B -ntp package -DskipTests)"
command -v java >/dev/null || die "java not on PATH"
command -v curl >/dev/null || die "curl not on PATH (used to poll the health route)"
mkdir -p "$RESULTS_DIR"

# Both sides of 10,000 sockets need descriptors; raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < CONNECTIONS + 1000 )); then
  log "warning: open-file limit $(ulimit -n) is below CONNECTIONS+1000; the hold run may fail to open all sockets"
fi

server_pin=()
load_pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU")
  load_pin=(taskset -c "$LOAD_CPU")
  log "pinning servers to CPU $SERVER_CPU and load to CPU $LOAD_CPU"
else
  log "taskset absent or one CPU: not pinning (figures are less comparable to the reference)"
fi

started_pids=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
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

median() {
  # Median of the numeric arguments (others, e.g. a failed run's empty figure, are skipped); "n/a" when none.
  local v nums=()
  for v in "$@"; do [[ "$v" =~ ^-?[0-9]+([.][0-9]+)?$ ]] && nums+=("$v"); done
  if (( ${#nums[@]} == 0 )); then echo "n/a"; return; fi
  printf '%s\n' "${nums[@]}" | sort -g | awk '{a[NR]=$1} END {m=int((NR+1)/2); if (NR%2) print a[m]; else printf "%.3f\n", (a[m]+a[m+1])/2}'
}

json_num() {
  # First numeric value of "key" in a one-line JSON document.
  grep -o "\"$2\":-\{0,1\}[0-9.]*" <<<"$1" | head -1 | cut -d: -f2
}

# Server handle: pid and port in globals set by start_server.
srv_pid=""
srv_port=""
start_server() {
  local target="$1" log_file="$2" admin_port
  srv_port=$(free_port)
  # shellcheck disable=SC2086
  case "$target" in
    app|native)
      local jar="$APP_JAR"
      [[ "$target" == native ]] && jar="$APP_NATIVE_JAR"
      admin_port=$(free_port)
      "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$jar" --server.port="$srv_port" \
        --admin.port="$admin_port" $APP_ARGS >"$log_file" 2>&1 &
      ;;
    bare)
      "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$BARE_JAR" --server.port="$srv_port" >"$log_file" 2>&1 &
      ;;
  esac
  srv_pid=$!
  started_pids+=("$srv_pid")
}

stop_server() {
  if kill -0 "$srv_pid" 2>/dev/null; then
    kill "$srv_pid" 2>/dev/null || true
  fi
  wait "$srv_pid" 2>/dev/null || true
}

# Polls the readiness route; prints milliseconds from launch (given as ns) to the first 200.
wait_ready() {
  local launched_ns="$1" path="$2" deadline=$(( $(date +%s) + 60 ))
  while (( $(date +%s) < deadline )); do
    if ! kill -0 "$srv_pid" 2>/dev/null; then
      return 1
    fi
    if "${load_pin[@]}" curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$srv_port$path"; then
      echo $(( ($(date +%s%N) - launched_ns) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  return 1
}

rss_kib() {
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

load() {
  # shellcheck disable=SC2086
  "${load_pin[@]}" java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" "$@" 2>>"$RESULTS_DIR/load-progress.log"
}

declare -A fig

measure_startup() {
  local target="$1" times=() rss=() i t
  for i in $(seq 1 "$STARTUP_RUNS"); do
    local t0
    t0=$(date +%s%N)
    start_server "$target" "$RESULTS_DIR/$target-start-$i.log"
    if ! t=$(wait_ready "$t0" /health/ready); then
      die "$target did not become ready (see $RESULTS_DIR/$target-start-$i.log)"
    fi
    times+=("$t")
    # Let start-up work (JIT, lazy init) settle before reading idle RSS.
    sleep 2
    rss+=("$(( $(rss_kib "$srv_pid") / 1024 ))")
    stop_server
    log "$target start $i: ready in ${t} ms, idle RSS ${rss[-1]} MiB"
  done
  fig[$target,start_ms]=$(median "${times[@]}")
  fig[$target,idle_rss_mib]=$(median "${rss[@]}")
}

measure_hold() {
  local target="$1" growth=() up=() i out
  for i in $(seq 1 "$RUNS"); do
    start_server "$target" "$RESULTS_DIR/$target-hold-$i.log"
    wait_ready "$(date +%s%N)" /health/ready >/dev/null || die "$target did not become ready for hold"
    sleep 2
    out=$(load hold --url "ws://127.0.0.1:$srv_port/ws" --connections "$CONNECTIONS" --room-size "$ROOM_SIZE" \
          --duration "${DURATION}s" --connect-timeout 180s --pid "$srv_pid" || true)
    echo "$target $out" >>"$RESULTS_DIR/results.jsonl"
    stop_server
    growth+=("$(json_num "$out" growthPerConnectionBytes)")
    up+=("$(json_num "$out" stillOpen)")
    log "$target hold $i: stillOpen=${up[-1]}/$CONNECTIONS growth/conn=${growth[-1]} B"
  done
  fig[$target,hold_kib]=$(median "${growth[@]}" | awk '$1 == "n/a" {print; next} {printf "%.1f", $1/1024}')
  fig[$target,hold_up]=$(median "${up[@]}")
}

measure_traffic() {
  local target="$1" i out http=() http_p99=() echo_rt=() echo_p99=() ping_rt=() ping_p99=() relay=() relay_p99=() lost=()
  start_server "$target" "$RESULTS_DIR/$target-traffic.log"
  wait_ready "$(date +%s%N)" /health/ready >/dev/null || die "$target did not become ready for traffic runs"
  local url="http://127.0.0.1:$srv_port/health/live" ws="ws://127.0.0.1:$srv_port/ws"
  # Unmeasured warm-up, so the JIT has compiled the hot paths before the first measured run (a
  # cold first run otherwise sits far below the others and skews the median of three).
  if (( WARMUP > 0 )); then
    if command -v wrk >/dev/null; then
      "${load_pin[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
    else
      load http --url "$url" --connections "$HTTP_CONNECTIONS" --duration "${WARMUP}s" >/dev/null 2>&1 || true
    fi
    load echo --style ping --url "$ws" --connections "$ECHO_CONNECTIONS" --payload-bytes "$ECHO_PAYLOAD" \
      --duration "${WARMUP}s" >/dev/null 2>&1 || true
  fi
  for i in $(seq 1 "$RUNS"); do
    if command -v wrk >/dev/null; then
      out=$("${load_pin[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${DURATION}s" --latency "$url" || true)
      echo "$target wrk $(tr '\n' ' ' <<<"$out")" >>"$RESULTS_DIR/results.jsonl"
      http+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
      http_p99+=("$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")")
    else
      out=$(load http --url "$url" --connections "$HTTP_CONNECTIONS" --duration "${DURATION}s" || true)
      echo "$target $out" >>"$RESULTS_DIR/results.jsonl"
      http+=("$(json_num "$out" requestsPerSec)")
      http_p99+=("$(json_num "$out" p99Ms)")
    fi
    if [[ "$target" == bare ]]; then
      out=$(load echo --url "$ws" --connections "$ECHO_CONNECTIONS" --payload-bytes "$ECHO_PAYLOAD" \
            --duration "${DURATION}s" || true)
      echo "$target $out" >>"$RESULTS_DIR/results.jsonl"
      echo_rt+=("$(json_num "$out" roundTripsPerSec)")
      echo_p99+=("$(json_num "$out" p99Ms)")
    fi
    out=$(load echo --style ping --url "$ws" --connections "$ECHO_CONNECTIONS" --payload-bytes "$ECHO_PAYLOAD" \
          --duration "${DURATION}s" || true)
    echo "$target $out" >>"$RESULTS_DIR/results.jsonl"
    ping_rt+=("$(json_num "$out" roundTripsPerSec)")
    ping_p99+=("$(json_num "$out" p99Ms)")
    # shellcheck disable=SC2086
    out=$(load relay --url "$ws" --connections "$RELAY_CONNECTIONS" --room-size "$ROOM_SIZE" --rate "$RELAY_RATE" \
          --payload-bytes "$ECHO_PAYLOAD" --duration "${DURATION}s" --connect-timeout 120s $RELAY_ARGS || true)
    echo "$target $out" >>"$RESULTS_DIR/results.jsonl"
    relay+=("$(json_num "$out" deliveredPerSec)")
    relay_p99+=("$(json_num "$out" p99Ms)")
    lost+=("$(json_num "$out" lost)")
    log "$target traffic run $i: http=${http[-1]}/s ping=${ping_rt[-1]}/s relay=${relay[-1]}/s (lost ${lost[-1]})"
  done
  stop_server
  fig[$target,http]=$(median "${http[@]}")
  fig[$target,http_p99]=$(median "${http_p99[@]}")
  fig[$target,echo]=$(median "${echo_rt[@]}")
  fig[$target,echo_p99]=$(median "${echo_p99[@]}")
  fig[$target,ping]=$(median "${ping_rt[@]}")
  fig[$target,ping_p99]=$(median "${ping_p99[@]}")
  fig[$target,relay]=$(median "${relay[@]}")
  fig[$target,relay_p99]=$(median "${relay_p99[@]}")
  fig[$target,relay_lost]=$(median "${lost[@]}")
}

# AppCDS: one training run of the app dumps the classes it loaded into an archive; later starts
# map it instead of loading and verifying those classes again (JDK 17: -XX:ArchiveClassesAtExit /
# -XX:SharedArchiveFile). The training run is the app's `warmup` command, as the container image
# bakes its archive: it starts on 127.0.0.1 with free ports, exercises health, metrics, a 404 and a
# two-peer WebSocket session, stops and exits by itself, so no signal or readiness poll is needed.
# Same JVM options and app flags as the measured starts. The archive belongs to this jar and this
# JVM build; regenerate it with both.
measure_appcds() {
  local archive="$RESULTS_DIR/app.jsa" opts="$SERVER_JAVA_OPTS"
  # shellcheck disable=SC2086
  if ! "${server_pin[@]}" java $opts -XX:ArchiveClassesAtExit="$archive" -jar "$APP_JAR" warmup $APP_ARGS \
       >"$RESULTS_DIR/appcds-train.log" 2>&1; then
    die "AppCDS training run (warmup) failed (see $RESULTS_DIR/appcds-train.log)"
  fi
  [[ -s "$archive" ]] || die "no AppCDS archive written (see $RESULTS_DIR/appcds-train.log)"
  SERVER_JAVA_OPTS="$opts -XX:SharedArchiveFile=$archive"
  measure_startup app
  fig[appcds,start_ms]=${fig[app,start_ms]}
  fig[appcds,idle_rss_mib]=${fig[app,idle_rss_mib]}
  SERVER_JAVA_OPTS="$opts"
}

# CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Cluster: two app nodes (redis.enabled) sharing one redis-server started here, all three pinned
# with the servers. The same relay load twice per run: "two" puts each room's peers on different
# nodes (every relay crosses Redis: XADD on the sender's node, XREAD on the receiver's), "one" puts
# every socket on node 1 (same cluster, same Redis, no relay crosses it).
measure_cluster() {
  local redis_port redis_pid p1 p2 a1 a2 pid1 pid2 i layout out c0 c1 n0 n1 secs
  redis_port=$(free_port)
  "${server_pin[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$RESULTS_DIR" --logfile "$RESULTS_DIR/redis.log" >/dev/null 2>&1 &
  redis_pid=$!
  started_pids+=("$redis_pid")
  for _ in $(seq 1 300); do
    [[ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" == PONG ]] && break
    sleep 0.1
  done
  [[ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" == PONG ]] || die "redis-server did not start (see $RESULTS_DIR/redis.log)"
  local cluster_args="--redis.enabled=true --redis.uri=redis://127.0.0.1:$redis_port --redis.key-prefix=macro-$$"
  p1=$(free_port); a1=$(free_port); p2=$(free_port); a2=$(free_port)
  # shellcheck disable=SC2086
  "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.port="$p1" --admin.port="$a1" $APP_ARGS \
    $cluster_args --service.instance-id=node-1 >"$RESULTS_DIR/cluster-node-1.log" 2>&1 &
  pid1=$!
  started_pids+=("$pid1")
  # shellcheck disable=SC2086
  "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.port="$p2" --admin.port="$a2" $APP_ARGS \
    $cluster_args --service.instance-id=node-2 >"$RESULTS_DIR/cluster-node-2.log" 2>&1 &
  pid2=$!
  started_pids+=("$pid2")
  srv_pid=$pid1 srv_port=$p1
  wait_ready "$(date +%s%N)" /health/ready >/dev/null || die "cluster node 1 did not become ready (see $RESULTS_DIR/cluster-node-1.log)"
  srv_pid=$pid2 srv_port=$p2
  wait_ready "$(date +%s%N)" /health/ready >/dev/null || die "cluster node 2 did not become ready (see $RESULTS_DIR/cluster-node-2.log)"
  local ws1="ws://127.0.0.1:$p1/ws" ws2="ws://127.0.0.1:$p2/ws"
  declare -A urls=([one]="--url $ws1" [two]="--url $ws1 --url2 $ws2")
  declare -A rate=() p50=() p99=() lost=() rcpu=() ncpu=()
  if (( WARMUP > 0 )); then
    for layout in one two; do
      # shellcheck disable=SC2086
      load relay ${urls[$layout]} --connections "$RELAY_CONNECTIONS" --room-size 2 --rate "$RELAY_RATE" \
        --payload-bytes "$ECHO_PAYLOAD" --duration "${WARMUP}s" --connect-timeout 120s >/dev/null 2>&1 || true
    done
  fi
  for i in $(seq 1 "$RUNS"); do
    for layout in one two; do
      c0=$(cpu_seconds "$redis_pid")
      n0=$(awk -v a="$(cpu_seconds "$pid1")" -v b="$(cpu_seconds "$pid2")" 'BEGIN {print a + b}')
      # shellcheck disable=SC2086
      out=$(load relay ${urls[$layout]} --connections "$RELAY_CONNECTIONS" --room-size 2 --rate "$RELAY_RATE" \
            --payload-bytes "$ECHO_PAYLOAD" --duration "${DURATION}s" --connect-timeout 120s || true)
      c1=$(cpu_seconds "$redis_pid")
      n1=$(awk -v a="$(cpu_seconds "$pid1")" -v b="$(cpu_seconds "$pid2")" 'BEGIN {print a + b}')
      echo "cluster-$layout $out" >>"$RESULTS_DIR/results.jsonl"
      secs=$(json_num "$out" durationS)
      rate[$layout]+=" $(json_num "$out" deliveredPerSec)"
      p50[$layout]+=" $(json_num "$out" p50Ms)"
      p99[$layout]+=" $(json_num "$out" p99Ms)"
      lost[$layout]+=" $(json_num "$out" lost)"
      # CPU over the whole load run (connect, send, grace) divided by its send time: an upper bound.
      rcpu[$layout]+=" $(awk -v a="$c0" -v b="$c1" -v s="${secs:-0}" 'BEGIN {if (s > 0) printf "%.3f", (b - a) / s; else print "n/a"}')"
      ncpu[$layout]+=" $(awk -v a="$n0" -v b="$n1" -v s="${secs:-0}" 'BEGIN {if (s > 0) printf "%.3f", (b - a) / s; else print "n/a"}')"
      log "cluster $layout node(s) run $i: relay=$(json_num "$out" deliveredPerSec)/s p50=$(json_num "$out" p50Ms) ms p99=$(json_num "$out" p99Ms) ms lost=$(json_num "$out" lost) redis CPU $(c=(${rcpu[$layout]}); echo "${c[-1]}") cores"
    done
  done
  for layout in one two; do
    # shellcheck disable=SC2086
    fig[cluster-$layout,relay]=$(median ${rate[$layout]})
    # shellcheck disable=SC2086
    fig[cluster-$layout,relay_p50]=$(median ${p50[$layout]})
    # shellcheck disable=SC2086
    fig[cluster-$layout,relay_p99]=$(median ${p99[$layout]})
    # shellcheck disable=SC2086
    fig[cluster-$layout,relay_lost]=$(median ${lost[$layout]})
    # shellcheck disable=SC2086
    fig[cluster-$layout,redis_cpu]=$(median ${rcpu[$layout]})
    # shellcheck disable=SC2086
    fig[cluster-$layout,nodes_cpu]=$(median ${ncpu[$layout]})
  done
  for pid in "$pid1" "$pid2" "$redis_pid"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

for t in $TARGETS; do
  if [[ "$t" == cluster ]]; then
    log "== cluster: relay ${RELAY_CONNECTIONS}c x ${RELAY_RATE}/s, room-mates on one node vs two, x$RUNS"
    measure_cluster
    continue
  fi
  if [[ "$t" == app && "${APPCDS:-1}" == 1 ]]; then
    log "== app with AppCDS: training run, then start-up x$STARTUP_RUNS"
    measure_appcds
  fi
  log "== $t: start-up x$STARTUP_RUNS"
  measure_startup "$t"
  log "== $t: traffic x$RUNS (${DURATION}s each)"
  measure_traffic "$t"
  log "== $t: idle hold of $CONNECTIONS x$RUNS"
  measure_hold "$t"
done

ratio() {
  # ratio KEY [TARGET]: TARGET's figure over bare's
  local a="${fig[${2:-app},$1]:-n/a}" b="${fig[bare,$1]:-n/a}"
  if [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && awk "BEGIN {exit !($b > 0)}"; then
    awk "BEGIN {printf \"%.2f\", $a / $b}"
  else
    echo "n/a"
  fi
}

row() {
  # figure-label key budget
  printf '%-52s %12s %12s %12s %9s %9s  %s\n' "$1" "${fig[app,$2]:-n/a}" "${fig[native,$2]:-n/a}" \
    "${fig[bare,$2]:-n/a}" "$(ratio "$2")" "$(ratio "$2" native)" "$3"
}

{
  echo
  echo "Macro benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(java -version 2>&1 | head -1)"
  echo "runs=$RUNS duration=${DURATION}s startup_runs=$STARTUP_RUNS connections=$CONNECTIONS room_size=$ROOM_SIZE" \
       "pinned=$([[ ${#server_pin[@]} -gt 0 ]] && echo "server:$SERVER_CPU load:$LOAD_CPU" || echo no)" \
       "http=$(command -v wrk >/dev/null && echo "wrk -t1 -c$HTTP_CONNECTIONS" || echo "load-tool http -c$HTTP_CONNECTIONS")"
  echo
  printf '%-52s %12s %12s %12s %9s %9s  %s\n' "figure (median)" "app (jsr)" "app (native)" "bare" \
    "app/bare" "nat/bare" "budget"
  row "GET /health/live req/s" http ">= 0.85"
  row "GET /health/live p99 ms" http_p99 ""
  row "WS raw echo ${ECHO_CONNECTIONS}c ${ECHO_PAYLOAD}B round trips/s (bare only)" echo ""
  row "WS raw echo p99 ms (bare only)" echo_p99 ""
  row "WS ping/pong ${ECHO_CONNECTIONS}c round trips/s" ping ">= 0.85"
  row "WS ping/pong p99 ms" ping_p99 "<= 1.5"
  row "WS relay ${RELAY_CONNECTIONS}c x ${RELAY_RATE}/s delivered/s" relay ">= 0.85"
  row "WS relay p99 ms" relay_p99 "<= 1.5"
  row "WS relay lost" relay_lost "0"
  row "idle hold: sockets still up (of $CONNECTIONS)" hold_up ""
  row "idle hold: RSS growth per socket KiB" hold_kib "<= 1.6"
  row "start to /health/ready 200 ms" start_ms "<= 1.3"
  row "idle RSS after start MiB" idle_rss_mib "<= 1.5"
  printf '%-52s %12s %12s %12s %9s %9s  %s\n' "start to ready with AppCDS ms (app)" "${fig[appcds,start_ms]:-n/a}" "" \
    "${fig[bare,start_ms]:-n/a}" "$(ratio start_ms appcds)" "" "< 1.0 (under bare's plain start)"
  if [[ " $TARGETS " == *" cluster "* ]]; then
    echo
    printf '%-52s %12s %12s %9s  %s\n' "cluster relay (median), both layouts in one run" "one node" "two nodes" \
      "two/one" "budget"
    crow() {
      local a="${fig[cluster-one,$2]:-n/a}" b="${fig[cluster-two,$2]:-n/a}" r="n/a"
      if [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && awk "BEGIN {exit !($a > 0)}"; then
        r=$(awk "BEGIN {printf \"%.2f\", $b / $a}")
      fi
      printf '%-52s %12s %12s %9s  %s\n' "$1" "$a" "$b" "$r" "$3"
    }
    crow "WS relay ${RELAY_CONNECTIONS}c x ${RELAY_RATE}/s delivered/s" relay ">= 0.5"
    crow "WS relay p50 ms" relay_p50 "two <= one + 1 ms"
    crow "WS relay p99 ms" relay_p99 ""
    crow "WS relay lost" relay_lost "0"
    crow "redis-server CPU (cores)" redis_cpu ""
    crow "both nodes' CPU (cores)" nodes_cpu ""
  fi
  echo
  echo "raw results: $RESULTS_DIR/results.jsonl (progress: load-progress.log, server logs alongside)"
} | tee "$RESULTS_DIR/summary.txt"
