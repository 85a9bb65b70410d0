#!/usr/bin/env bash
# Fault injection under load against the real app jar (docs/reliability.md, faults 1, 2 and 3).
# The other faults are tests that run in every build: ConnectionFloodTest (4), SlowlorisTest (5),
# HostileFramesAtVolumeTest (6), AdminExposureTest and HttpSurfaceTest (7); SlowConsumerTest is
# fault 3 in small.
#
#   signaling-benchmarks/run-faults.sh sigterm   # 1: SIGTERM while wrk and 1,000 relaying WebSockets run
#   signaling-benchmarks/run-faults.sh kill9     # 2: kill -9 of a load process holding 500 sockets
#   signaling-benchmarks/run-faults.sh slow      # 3: 500 slow consumers among 1,000 fast relaying sockets
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
# slow: FAST_CONNECTIONS [1000] (rooms of 2), SLOW_CONSUMERS [500], RATE [2] (fast relays/s per socket),
# SLOW_RATE [1] (relays/s each fast member sends each slow consumer of its room), SLOW_PAYLOAD_BYTES
# [4000], SLOW_DURATION [40s], CLIENT [nio] (the fast sockets' client; slow consumers are always nio),
#   SLOW_AFTER [0] (messages each slow consumer reads before it stops; larger than a run's share, e.g.
#   1000000, makes the "slow" consumers read everything), SLOW_CONTROL [1] (0 skips run c, the control:
#   the same traffic to consumers that keep reading, so the p99 cost of slowness is told apart from
#   the cost of the traffic), PIN [1] (server on CPU 0, load tool on CPU 1; 0: unpinned),
#   SLOW_WARMUP [30] (seconds of the fast relay alone, unmeasured, on each fresh server before its
#   measured run, so a, b and c compare warmed servers as run-macro.sh does; 0 measures cold servers,
#   where b's closes land while the JIT still compiles the relay path and compile the close path).
# The slow consumers' traffic is kept small next to the fast relay (1,000 of 2,000 msg/s more) so the
# comparison with the baseline is about sockets that stop reading, not about a heavier offered load.
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
[[ $# -eq 1 ]] || die "usage: run-faults.sh sigterm|kill9|slow|all"
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
  ${SERVER_PREFIX:-} java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.host=127.0.0.1 --server.port=0 --admin.port=0 \
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
  curl -s --max-time 2 "http://127.0.0.1:$admin/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { print $2; exit }'
}

json_field() { # json_field FILE KEY: a top-level number or string of the load tool's JSON line
  grep -o "\"$2\":[^,}]*" "$1" | head -1 | cut -d: -f2- | tr -d '"'
}

# ---------------------------------------------------------------- 1: SIGTERM under load
ss_snapshot() { # ss_snapshot PORT: who holds bytes on the WebSocket port's established connections
  # Client side (peer port = PORT): bytes the clients have not read yet. Server side (local port =
  # PORT): bytes the server has not read, and bytes it sent that the client has not acknowledged.
  # On loopback a frame the server wrote sits in the client's receive queue until the client reads
  # it, so a late close handshake with the bytes there is the client's; with them in the server's
  # unread queue, or in no queue at all, it is the server's.
  local c s
  c=$(ss -tnH state established "( dport = :$1 )" 2>/dev/null \
    | awk '{ n++; r += $1; if ($1 > 0) k++ } END { printf "%d client sockets, %d with unread bytes (%d in all)", n, k, r }')
  s=$(ss -tnH state established "( sport = :$1 )" 2>/dev/null \
    | awk '{ n++; r += $1; w += $2; if ($1 > 0) k++ } END { printf "%d server sockets, %d with bytes the server has not read (%d in all), %d bytes unacknowledged", n, k, r, w }')
  echo "$c; $s"
}

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
  log "before SIGTERM (load $(cut -d' ' -f1-3 /proc/loadavg)): $(ss_snapshot "$port")"
  local t0; t0=$(date +%s%N)
  kill -TERM "$server"
  # Half a second before the drain's deadline: where the bytes of the close handshakes still open are.
  ( sleep "$(awk -v d="$drain" 'BEGIN { print d - 0.5 }')"; echo "$(ss_snapshot "$port")" ) >"$RESULTS_DIR/sigterm-ss-before-deadline.txt" 2>&1 &
  local ss_pid=$!
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
  wait "$ss_pid" || true
  log "0.5 s before the drain deadline: $(cat "$RESULTS_DIR/sigterm-ss-before-deadline.txt"); load $(cut -d' ' -f1-3 /proc/loadavg)"
  log "relay: client $(json_field "$RESULTS_DIR/sigterm-relay.json" client), p99 $(grep -o '"p99Ms":[0-9.]*' "$RESULTS_DIR/sigterm-relay.json" | cut -d: -f2) ms, pacer lag $(json_field "$RESULTS_DIR/sigterm-relay.json" pacerMaxLagMs) ms, client CPU $(json_field "$RESULTS_DIR/sigterm-relay.json" clientCpuSeconds) s, delivered $(json_field "$RESULTS_DIR/sigterm-relay.json" delivered) of $(json_field "$RESULTS_DIR/sigterm-relay.json" sent)"
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

# ---------------------------------------------------------------- 3: slow consumers
heap_used() { # heap in use now (all heap pools), bytes, from the admin port; no GC forced
  curl -s --max-time 2 "http://127.0.0.1:$admin/metrics" | awk 'index($0, "jvm_memory_used_bytes{") == 1 && /area="heap"/ { s += $NF } END { printf "%d", s }'
}

slow_closes() { # connections the server closed as slow consumers (1008), from the admin port
  curl -s --max-time 2 "http://127.0.0.1:$admin/metrics" \
    | awk 'index($0, "websocket_connections_total{") == 1 && /event="closed"/ && /reason="slow_consumer"/ { printf "%d", $NF; found = 1 } END { if (!found) print 0 }'
}

heap_after_full_gc_kib() { # jcmd GC.run, then the heap in use (KiB) by GC.heap_info
  jcmd "$server" GC.run >/dev/null 2>&1 || true
  jcmd "$server" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[^0-9]/, "", v); print v; exit } }'
}

gc_after_mib() { # gc_after_mib GC-LOG: "uptime_s,heap_after_gc_mib" for every GC pause the unified log recorded
  sed -n 's/^\[\([0-9.]*\)s\].*Pause.* [0-9]*[KMG]->\([0-9]*\)\([KMG]\)(.*/\1 \2 \3/p' "$1" \
    | awk '{ v = $2; if ($3 == "K") v = v / 1024; else if ($3 == "G") v = v * 1024; printf "%s,%.1f\n", $1, v }'
}

stop_server() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

# warm_up NAME : the fast relay alone for SLOW_WARMUP seconds against the server just started (fault_slow's locals)
warm_up() {
  (( warmup > 0 )) || return 0
  log "3 slow consumers, $1: warming the server up with ${warmup}s of the fast relay alone (not measured)"
  $load_prefix java -jar "$LOAD_JAR" "${warm_args[@]}" --url "ws://127.0.0.1:$port/ws" --connections "$fast" \
    >"$RESULTS_DIR/$1-warmup.json" 2>"$RESULTS_DIR/$1-warmup.err" || true
}

fault_slow() {
  local fast="${FAST_CONNECTIONS:-1000}" slow="${SLOW_CONSUMERS:-500}" rate="${RATE:-2}"
  local slow_rate="${SLOW_RATE:-1}" slow_bytes="${SLOW_PAYLOAD_BYTES:-4000}" dur="${SLOW_DURATION:-40s}"
  local client="${CLIENT:-nio}"
  local fast_relay=(relay --room-size 2 --rate "$rate" --payload-bytes 200 --client "$client" --grace 2s --concurrency 64)
  local relay_args=("${fast_relay[@]}" --duration "$dur")
  local base_opts="$SERVER_JAVA_OPTS"
  local warmup="${SLOW_WARMUP:-30}"
  local warm_args=("${fast_relay[@]}" --duration "${warmup}s")
  # Server on CPU 0, load tool on CPU 1 (run-macro.sh's method), so a p99 describes the server and
  # not the tool's own threads preempting it, or the other way round. PIN=0 leaves both unpinned.
  local load_prefix=""
  if [[ "${PIN:-1}" != 0 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
    SERVER_PREFIX="taskset -c 0"; load_prefix="taskset -c 1"
    log "3 slow consumers: server pinned to CPU 0, load tool to CPU 1"
  fi

  # a: the undisturbed run, for the fast sockets' baseline p99 (and its heap, for comparison).
  SERVER_JAVA_OPTS="$base_opts -Xlog:gc:file=$RESULTS_DIR/slow-baseline-gc.log:uptime" start_server slow-baseline
  warm_up slow-baseline
  log "3 slow consumers, a (baseline): server $server on $port; $fast sockets relaying at $rate/s ($client), load $(cut -d' ' -f1-3 /proc/loadavg)"
  $load_prefix java -jar "$LOAD_JAR" "${relay_args[@]}" --url "ws://127.0.0.1:$port/ws" --connections "$fast" \
    >"$RESULTS_DIR/slow-baseline.json" 2>"$RESULTS_DIR/slow-baseline.err" || true
  local base_end_heap; base_end_heap=$(heap_after_full_gc_kib)
  log "baseline done, load $(cut -d' ' -f1-3 /proc/loadavg); heap after full GC at the end ${base_end_heap} KiB"
  stop_server

  # b: the same with slow consumers in the fast rooms.
  SERVER_JAVA_OPTS="$base_opts -Xlog:gc:file=$RESULTS_DIR/slow-gc.log:uptime" start_server slow
  warm_up slow
  local idle_heap; idle_heap=$(heap_after_full_gc_kib)
  log "3 slow consumers, b: server $server on $port (idle heap after full GC ${idle_heap} KiB); $fast fast sockets at $rate/s ($client) and $slow slow consumers, sent $slow_rate/s of $slow_bytes B by each fast room-mate; load $(cut -d' ' -f1-3 /proc/loadavg)"
  $load_prefix java -jar "$LOAD_JAR" "${relay_args[@]}" --url "ws://127.0.0.1:$port/ws" --connections "$fast" \
    --slow-consumers "$slow" --slow-rate "$slow_rate" --slow-payload-bytes "$slow_bytes" --slow-after "${SLOW_AFTER:-0}" \
    >"$RESULTS_DIR/slow.json" 2>"$RESULTS_DIR/slow.err" &
  local relay=$!
  pids+=("$relay")
  local t0; t0=$(date +%s%N)
  echo "ms,websocket_connections_active,slow_consumer_closes,heap_used_mib,load1,send_queue_kib" >"$RESULTS_DIR/slow-samples.csv"
  while kill -0 "$relay" 2>/dev/null; do
    local h q; h=$(heap_used || true); q=$(metric websocket_send_queue_bytes || true)
    echo "$(( ($(date +%s%N) - t0) / 1000000 )),$(metric websocket_connections_active || true),$(slow_closes || true),$(( ${h:-0} / 1048576 )),$(cut -d' ' -f1 /proc/loadavg),$(awk -v b="${q:-0}" 'BEGIN { printf "%d", b / 1024 }')" \
      >>"$RESULTS_DIR/slow-samples.csv"
    sleep 1
  done
  wait "$relay" || true
  local end_heap; end_heap=$(heap_after_full_gc_kib)
  log "disturbed run done, load $(cut -d' ' -f1-3 /proc/loadavg); heap after full GC at the end ${end_heap} KiB"
  local closes timeouts overflows
  closes=$(slow_closes)
  timeouts=$(grep -c 'send timed out, closing slow consumer' "$RESULTS_DIR/slow-server.log" || true)
  overflows=$(grep -c 'outbound queue full, closing slow consumer' "$RESULTS_DIR/slow-server.log" || true)
  stop_server

  check "slow consumers closed 1008" "$([[ "$closes" == "$slow" ]]; echo $?)" \
    "$closes of $slow closed as slow consumers (1008): $timeouts after the send timeout, $overflows on a full queue"
  # Two samples in a row with every slow consumer closed and exactly the fast sockets open: the
  # slow consumers' sockets are gone from the server, not only marked closed.
  local gone
  gone=$(awk -F, -v f="$fast" -v s="$slow" 'NR > 1 { ok = ($2 == f && $3 == s); if (ok && prev) { print "yes"; exit } prev = ok }' \
    "$RESULTS_DIR/slow-samples.csv")
  check "slow consumers' sockets gone" "$([[ "$gone" == yes ]]; echo $?)" \
    "open connections back to the $fast fast sockets after the closes: ${gone:-no} ($RESULTS_DIR/slow-samples.csv)"
  local tool_closed; tool_closed=$(grep -o '"closedByServer":[0-9]*' "$RESULTS_DIR/slow.json" | cut -d: -f2)
  log "the tool, reading again at the end: ${tool_closed:-?} of $slow slow sockets ended by the server; $(grep -o '"slowConsumers":{[^}]*}[^}]*}' "$RESULTS_DIR/slow.json" | cut -c1-400)"

  gc_after_mib "$RESULTS_DIR/slow-baseline-gc.log" >"$RESULTS_DIR/slow-baseline-heap-after-gc.csv"
  gc_after_mib "$RESULTS_DIR/slow-gc.log" >"$RESULTS_DIR/slow-heap-after-gc.csv"
  local base_max max
  base_max=$(awk -F, '$2 > m { m = $2 } END { printf "%.1f", m }' "$RESULTS_DIR/slow-baseline-heap-after-gc.csv")
  max=$(awk -F, '$2 > m { m = $2 } END { printf "%.1f", m }' "$RESULTS_DIR/slow-heap-after-gc.csv")
  # The bound the send queues promise: each slow consumer holds at most send-queue-bytes (1 MiB)
  # or send-queue-messages (256) of its relays (payload plus ~200 bytes of envelope), whichever is less.
  local per_conn_kib=$(( 256 * (slow_bytes + 200) / 1024 )); (( per_conn_kib > 1024 )) && per_conn_kib=1024
  local bound_mib=$(( slow * per_conn_kib / 1024 ))
  check "heap bounded by the send queues" "$(awk -v m="$max" -v b="$base_max" -v q="$bound_mib" 'BEGIN { exit !(m <= b + q) }'; echo $?)" \
    "heap after GC at most ${max} MiB (baseline run ${base_max} MiB; queue bound ${slow} x ${per_conn_kib} KiB = ${bound_mib} MiB); after full GC: idle ${idle_heap} KiB, end ${end_heap} KiB (baseline end ${base_end_heap} KiB)"
  # The same bound read from the server itself: websocket_send_queue_bytes, sampled every second.
  local queued_peak queued_last
  queued_peak=$(awk -F, 'NR > 1 && $6 > m { m = $6 } END { printf "%d", m }' "$RESULTS_DIR/slow-samples.csv")
  queued_last=$(awk -F, 'NR > 1 { v = $6 } END { printf "%d", v }' "$RESULTS_DIR/slow-samples.csv")
  check "send queues bounded" "$(( queued_peak <= bound_mib * 1024 ? 0 : 1 ))" \
    "websocket_send_queue_bytes at most $(( queued_peak / 1024 )) MiB (bound ${bound_mib} MiB), ${queued_last} KiB at the last sample"

  # c: the control run: the same traffic to the same extra sockets, which keep reading. What the
  # fast sockets lose here is the cost of carrying that traffic on this machine, not of slowness.
  local runs=(slow-baseline slow)
  if [[ "${SLOW_CONTROL:-1}" != 0 ]]; then
    SERVER_JAVA_OPTS="$base_opts" start_server slow-control
    warm_up slow-control
    log "3 slow consumers, c (control): server $server on $port; the same traffic, the extra sockets keep reading; load $(cut -d' ' -f1-3 /proc/loadavg)"
    $load_prefix java -jar "$LOAD_JAR" "${relay_args[@]}" --url "ws://127.0.0.1:$port/ws" --connections "$fast" \
      --slow-consumers "$slow" --slow-rate "$slow_rate" --slow-payload-bytes "$slow_bytes" --slow-after 1000000 \
      >"$RESULTS_DIR/slow-control.json" 2>"$RESULTS_DIR/slow-control.err" || true
    log "control run done, load $(cut -d' ' -f1-3 /proc/loadavg)"
    stop_server
    runs+=(slow-control)
  fi

  local p99_base p99 p99_control
  p99_base=$(grep -o '"p99Ms":[0-9.]*' "$RESULTS_DIR/slow-baseline.json" | head -1 | cut -d: -f2)
  p99=$(grep -o '"p99Ms":[0-9.]*' "$RESULTS_DIR/slow.json" | head -1 | cut -d: -f2)
  check "fast relay p99 within 2x" "$(awk -v a="$p99" -v b="$p99_base" 'BEGIN { exit !(a != "" && b != "" && a <= 2 * b) }'; echo $?)" \
    "fast sockets' relay p99 ${p99:-?} ms with slow consumers, ${p99_base:-?} ms without"
  if [[ -f "$RESULTS_DIR/slow-control.json" ]]; then
    p99_control=$(grep -o '"p99Ms":[0-9.]*' "$RESULTS_DIR/slow-control.json" | head -1 | cut -d: -f2)
    check "fast relay p99 within 2x of the control" "$(awk -v a="$p99" -v b="$p99_control" 'BEGIN { exit !(a != "" && b != "" && a <= 2 * b) }'; echo $?)" \
      "fast sockets' relay p99 ${p99:-?} ms with slow consumers, ${p99_control:-?} ms with the same traffic to consumers that read"
  fi
  SERVER_PREFIX=""
  for run in "${runs[@]}"; do
    local ok; ok=$(json_field "$RESULTS_DIR/$run.json" ok)
    check "$run relay correct" "$([[ "$ok" == true ]]; echo $?)" \
      "lost $(json_field "$RESULTS_DIR/$run.json" lost), misrouted $(json_field "$RESULTS_DIR/$run.json" misrouted), delivered $(json_field "$RESULTS_DIR/$run.json" delivered), pacer lag $(json_field "$RESULTS_DIR/$run.json" pacerMaxLagMs) ms, errors $(grep -o '"errors":{[^}]*}' "$RESULTS_DIR/$run.json")"
  done
}

case "$1" in
  sigterm) fault_sigterm ;;
  kill9) fault_kill9 ;;
  slow) fault_slow ;;
  all) fault_sigterm; fault_kill9; fault_slow ;;
  *) die "unknown fault '$1' (sigterm, kill9, slow, all)" ;;
esac
log "results in $RESULTS_DIR"
(( failures == 0 )) || { log "$failures check(s) failed"; exit 1; }
