#!/usr/bin/env bash
# Fault injection under load against the real app jar (docs/reliability.md, faults 1 and 2).
# The other faults are tests that run in every build: ConnectionFloodTest (4), SlowlorisTest (5),
# HostileFramesAtVolumeTest (6), AdminExposureTest and HttpSurfaceTest (7), SlowConsumerTest (3).
#
#   signaling-benchmarks/run-faults.sh sigterm   # 1: SIGTERM while wrk and 1,000 relaying WebSockets run
#   signaling-benchmarks/run-faults.sh kill9     # 2: kill -9 of a load process holding 500 sockets
#   signaling-benchmarks/run-faults.sh all
#
# Builds nothing; first, from the repository root:
#   ./mvnw -B -ntp -pl signaling-benchmarks -am package -DskipTests
# Needs wrk for sigterm (apt-get install wrk). Loopback only, bounded, self-stopping; every process
# it starts is stopped by its PID (trap on EXIT), nothing else is touched. Exit 0 when every check
# held, 1 when one failed (the failing check is printed), 2 on a usage or setup error.
#
# Environment: DRAIN [10] (sigterm: shutdown.drain-timeout in seconds), RATE [5] (sigterm: relays per
# second per socket), CLIENT [nio] (sigterm: the load tool's client, nio or jdk), RELAY_DURATION [40s],
# APP_JAR, LOAD_JAR (jar paths,
# default the module targets), SERVER_JAVA_OPTS
# [-Xmx512m], RESULTS_DIR [signaling-benchmarks/target/faults-<timestamp>].
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx512m}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/faults-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-faults: $*" >&2; exit 2; }
log() { echo "[faults $(date +%H:%M:%S)] $*" >&2; }
[[ $# -eq 1 ]] || die "usage: run-faults.sh sigterm|kill9|all"
[[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (build it first, see the header)"
[[ -f "$LOAD_JAR" ]] || die "load jar not found: $LOAD_JAR"
mkdir -p "$RESULTS_DIR"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
failures=0
check() { # check NAME CONDITION-RESULT(0/1) DETAIL
  if [[ "$2" == 0 ]]; then log "ok   $1: $3"; else log "FAIL $1: $3"; failures=$((failures + 1)); fi
}

# start_server NAME ARGS... : sets server, port, admin
start_server() {
  local name=$1; shift
  # shellcheck disable=SC2086
  java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.host=127.0.0.1 --server.port=0 --admin.port=0 \
    --logging.access-log=false "$@" >"$RESULTS_DIR/$name-server.log" 2>&1 &
  server=$!
  pids+=("$server")
  port=""; admin=""
  for _ in $(seq 1 120); do
    port=$(grep -o '"public":"http://127.0.0.1:[0-9]*"' "$RESULTS_DIR/$name-server.log" | grep -o '[0-9]*"$' | tr -d '"' || true)
    admin=$(grep -o '"admin":"http://127.0.0.1:[0-9]*"' "$RESULTS_DIR/$name-server.log" | grep -o '[0-9]*"$' | tr -d '"' || true)
    [[ -n "$port" && -n "$admin" ]] && return 0
    kill -0 "$server" 2>/dev/null || die "server exited at start: $(tail -5 "$RESULTS_DIR/$name-server.log")"
    sleep 0.5
  done
  die "server did not start within 60 s"
}

metric() { # metric NAME: the value of an unlabelled-or-single Prometheus series from the admin port
  curl -s "http://127.0.0.1:$admin/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { print $2; exit }'
}

json_field() { # json_field FILE KEY: a top-level number or string of the load tool's JSON line
  grep -o "\"$2\":[^,}]*" "$1" | head -1 | cut -d: -f2- | tr -d '"'
}

# ---------------------------------------------------------------- 1: SIGTERM under load
fault_sigterm() {
  command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
  local drain="${DRAIN:-10}"
  start_server sigterm --shutdown.drain-timeout=${drain}s --shutdown.readiness-delay=0s
  log "1 SIGTERM: server $server on $port; 1,000 sockets relaying at ${RATE:-5}/s (${CLIENT:-nio} client) and wrk on /health/live"
  java -jar "$LOAD_JAR" relay --url "ws://127.0.0.1:$port/ws" --connections 1000 --room-size 2 --rate "${RATE:-5}" \
    --client "${CLIENT:-nio}" --duration "${RELAY_DURATION:-40s}" --grace 1s --concurrency 64 >"$RESULTS_DIR/sigterm-relay.json" 2>"$RESULTS_DIR/sigterm-relay.err" &
  local relay=$!
  pids+=("$relay")
  for _ in $(seq 1 240); do
    [[ "$(metric signaling_peers_active)" == 1000* ]] && break
    sleep 0.5
  done
  # Without all 1,000 joined the run would measure nothing (the relay may even be over by the SIGTERM).
  [[ "$(metric signaling_peers_active)" == 1000* ]] || die "only $(metric signaling_peers_active) of 1000 peers joined within 120 s"
  wrk -t1 -c32 -d30s --latency "http://127.0.0.1:$port/health/live" >"$RESULTS_DIR/sigterm-wrk.txt" 2>&1 &
  local wrk_pid=$!
  pids+=("$wrk_pid")
  sleep 5
  local t0; t0=$(date +%s%N)
  kill -TERM "$server"
  # The drain's curve: open sockets and peers every 250 ms until the admin listener stops (it stops last).
  (
    echo "ms_after_sigterm,websocket_connections_active,signaling_peers_active"
    while kill -0 "$server" 2>/dev/null; do
      local m; m=$(curl -s --max-time 1 "http://127.0.0.1:$admin/metrics" || true)
      [[ -n "$m" ]] || break
      echo "$(( ($(date +%s%N) - t0) / 1000000 )),$(awk '$1 == "websocket_connections_active" || index($1, "websocket_connections_active{") == 1 { print $2; exit }' <<<"$m"),$(awk '$1 == "signaling_peers_active" || index($1, "signaling_peers_active{") == 1 { print $2; exit }' <<<"$m")"
      sleep 0.25
    done
  ) >"$RESULTS_DIR/sigterm-drain-curve.csv" 2>/dev/null &
  local code=0
  wait "$server" || code=$?
  local took_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  wait "$relay" || true
  wait "$wrk_pid" || true
  check "sigterm exit code" "$([[ $code == 0 ]]; echo $?)" "exit $code"
  check "sigterm within drain timeout" "$([[ $took_ms -le $(( drain * 1000 + 5000 )) ]]; echo $?)" \
    "exited ${took_ms} ms after SIGTERM (drain timeout ${drain}s, +5 s for the JVM to stop)"
  local goaway codes
  goaway=$(json_field "$RESULTS_DIR/sigterm-relay.json" goaway)
  codes=$(grep -o '"closeCodes":{[^}]*}' "$RESULTS_DIR/sigterm-relay.json" || echo none)
  check "sigterm goaway to every socket" "$([[ "$goaway" == 1000 ]]; echo $?)" "goaway received by $goaway of 1000"
  check "sigterm 1001 for every socket" "$([[ "$codes" == '"closeCodes":{"1001":1000}' ]]; echo $?)" "$codes"
  local non2xx reset
  non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$RESULTS_DIR/sigterm-wrk.txt"); non2xx=${non2xx:-0}
  # Only the "Socket errors:" line counts ("40.73KB read" on the transfer line is not an error).
  reset=$(grep -o 'Socket errors:.*' "$RESULTS_DIR/sigterm-wrk.txt" | grep -o 'read [0-9]\+' | awk '{ print $2 }'); reset=${reset:-0}
  # After the listener closes, new connects are refused by the OS ("connect" errors): that is
  # the drain working. Responses on open connections must be 2xx or the drain's 503, never reset.
  check "sigterm no HTTP connection reset" "$([[ "$reset" == 0 ]]; echo $?)" \
    "wrk read errors $reset, non-2xx $non2xx ($(grep -o 'Socket errors.*' "$RESULTS_DIR/sigterm-wrk.txt" || echo 'no socket errors'))"
  log "wrk: $(grep -E 'Requests/sec|requests in' "$RESULTS_DIR/sigterm-wrk.txt" | tr -s ' ' | tr '\n' ' ')"
  log "server: $(grep -oE '"(msg|message)":"(signaling stopped|websockets did not close in time[^"]*|websocket endpoint stopped|shutdown complete[^"]*)"[^}]*' "$RESULTS_DIR/sigterm-server.log" | tr '\n' ' ' | cut -c1-600)"
  log "drain curve (ms after SIGTERM, open sockets, peers): $RESULTS_DIR/sigterm-drain-curve.csv"
}

# ---------------------------------------------------------------- 2: kill -9 of a client process
fault_kill9() {
  start_server kill9
  local prefix="k9-$$"
  local idle_rss; idle_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  log "2 kill -9: server $server on $port (idle RSS ${idle_rss} KiB); 500 observers and 500 victims share rooms $prefix-*"
  java -jar "$LOAD_JAR" hold --url "ws://127.0.0.1:$port/ws" --connections 500 --room-size 1 \
    --room-prefix "$prefix" --duration 45s >"$RESULTS_DIR/kill9-observers.json" 2>"$RESULTS_DIR/kill9-observers.err" &
  local observers=$!
  pids+=("$observers")
  for _ in $(seq 1 240); do [[ "$(metric signaling_peers_active)" == 500* ]] && break; sleep 0.5; done
  java -jar "$LOAD_JAR" hold --url "ws://127.0.0.1:$port/ws" --connections 500 --room-size 1 \
    --room-prefix "$prefix" --duration 60s >/dev/null 2>"$RESULTS_DIR/kill9-victims.err" &
  local victims=$!
  pids+=("$victims")
  for _ in $(seq 1 240); do [[ "$(metric signaling_peers_active)" == 1000* ]] && break; sleep 0.5; done
  local busy_rss; busy_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  log "1,000 peers in 500 rooms (RSS ${busy_rss} KiB); kill -9 $victims (idle, joined sockets)"
  kill -9 "$victims"
  wait "$victims" 2>/dev/null || true
  wait "$observers" || true
  local seen max
  seen=$(json_field "$RESULTS_DIR/kill9-observers.json" socketsWithPeerLeft)
  max=$(json_field "$RESULTS_DIR/kill9-observers.json" maxPeerLeftPerSocket)
  check "kill9 one peer-left per room-mate" "$([[ "$seen" == 500 && "$max" == 1 ]]; echo $?)" \
    "$seen of 500 observers got peer-left, at most $max each"
  local peers rooms conns
  for _ in $(seq 1 60); do
    peers=$(metric signaling_peers_active); rooms=$(metric signaling_rooms_active); conns=$(metric websocket_connections_active)
    [[ "$peers" == 0* && "$rooms" == 0* && "$conns" == 0* ]] && break
    sleep 1
  done
  check "kill9 counts back to zero" "$([[ "$peers" == 0* && "$rooms" == 0* && "$conns" == 0* ]]; echo $?)" \
    "peers $peers, rooms $rooms, connections $conns after the observers left too"
  jcmd "$server" GC.run >/dev/null 2>&1 || true
  sleep 2
  local end_rss; end_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  local heap; heap=$(jcmd "$server" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }')
  log "RSS idle ${idle_rss} KiB, with 1,000 peers ${busy_rss} KiB, after ${end_rss} KiB; heap after GC ${heap}"
  kill -TERM "$server"; wait "$server" || true
}

case "$1" in
  sigterm) fault_sigterm ;;
  kill9) fault_kill9 ;;
  all) fault_sigterm; fault_kill9 ;;
  *) die "unknown fault '$1' (sigterm, kill9, all)" ;;
esac
log "results in $RESULTS_DIR"
(( failures == 0 )) || { log "$failures check(s) failed"; exit 1; }
