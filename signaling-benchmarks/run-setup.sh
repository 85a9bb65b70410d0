#!/usr/bin/env bash
# Connection set-up, as a reconnect storm sees it: how fast a server takes 10,000 new sockets
# through upgrade, welcome and join (rooms of two), against the project's bare relay in the same run.
#
# Each round starts every target afresh (a deploy's new node; a storm after a node failure hits
# nodes that served a little already, which the warm-up stands for), opens WARM_CONNECTIONS sockets
# once unmeasured, closes them, then opens CONNECTIONS sockets with the load tool's hold mode on its
# nio client (one selector thread) and records setUpSeconds (first connect to last `joined`) and the
# server's CPU time per set-up. Targets take turns, the order rotating per round, and each ratio is
# taken within a round before the median: the host drifts by tens of per cent over minutes.
#
# Builds nothing; first, from the repository root:
#   ./mvnw -B -ntp package -DskipTests      (and the native app jar for TARGETS with native)
# then:
#   signaling-benchmarks/run-setup.sh
#
# Environment (defaults in brackets): TARGETS ["app bare"] (app, app0, native, prev, bare, node;
# bare is the denominator and must be among them; app is APP_JAR as built (the native adapter by default, JSR with -Dws.adapter=jsr), app0 the same with tracing.sampling-ratio=0;
# prev is PREV_APP_JAR, another build of the app such as the commit before a change, for a
# before/after in one run; node is ../shared/perf/node-reference-relay), ROUNDS [5],
# CONNECTIONS [10000], WARM_CONNECTIONS [2000], APP_JAR, APP_NATIVE_JAR, PREV_APP_JAR, BARE_JAR, LOAD_JAR, NODE_RELAY_DIR [holding reference-relay.mjs and its
# node_modules; npm ci there first], APP_ARGS [rate limit lifted, as run-macro.sh],
# SERVER_JAVA_OPTS, SERVER_CPU [0], LOAD_CPU [1], TIME_WAIT_LIMIT [15000: before each server starts,
# wait until fewer loopback connections than this are in TIME_WAIT, so that ephemeral ports do not
# run out], RESULTS_DIR [signaling-benchmarks/target/setup-<timestamp>].
# Needs an open-file limit above CONNECTIONS + 1000 and an ephemeral port range of at least
# 2 x (CONNECTIONS + WARM_CONNECTIONS) ports (sysctl net.ipv4.ip_local_port_range). Loopback only;
# stops only the servers it started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=targets.sh
source "$here/targets.sh"
TARGETS="${TARGETS:-app bare}"
ROUNDS="${ROUNDS:-5}"
CONNECTIONS="${CONNECTIONS:-10000}"
WARM_CONNECTIONS="${WARM_CONNECTIONS:-2000}"
TIME_WAIT_LIMIT="${TIME_WAIT_LIMIT:-15000}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/setup-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-setup: $*" >&2; exit 2; }
log() { echo "[setup $(date +%H:%M:%S)] $*" >&2; }

for v in ROUNDS CONNECTIONS WARM_CONNECTIONS TIME_WAIT_LIMIT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number, got '${!v}'"
done
[[ " $TARGETS " == *" bare "* ]] || die "TARGETS must include bare (the denominator of every ratio)"
for t in $TARGETS; do check_target "$t"; done
[[ -f "$LOAD_JAR" ]] || die "load tool not found: $LOAD_JAR"
command -v curl >/dev/null || die "curl not on PATH"
command -v ss >/dev/null || die "ss not on PATH (apt-get install iproute2)"
(( $(ulimit -n) > CONNECTIONS + 1000 )) || die "open-file limit $(ulimit -n) is not above CONNECTIONS + 1000 (ulimit -n)"
read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
(( hi - lo >= 2 * (CONNECTIONS + WARM_CONNECTIONS) )) \
  || die "ephemeral port range $lo-$hi holds fewer than 2 x (CONNECTIONS + WARM_CONNECTIONS) ports; widen it (sysctl -w net.ipv4.ip_local_port_range=\"10000 65000\") or lower CONNECTIONS"
mkdir -p "$RESULTS_DIR"

server_pin=() load_pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU"); load_pin=(taskset -c "$LOAD_CPU")
fi

srv_pid=""
trap '[[ -n "$srv_pid" ]] && kill "$srv_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

time_wait() { ss -Htan state time-wait | wc -l; }

start_server() { # $1 target, $2 round: sets srv_pid and srv_port
  srv_port=$(free_port)
  start_target "$1" "$srv_port" "$RESULTS_DIR/$1-$2.log"
  srv_pid=$target_pid
}

stop_server() { kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; srv_pid=""; }

hold() { # $1 connections, $2 server pid or "": prints the summary line
  local pid_args=(); [[ -n "$2" ]] && pid_args=(--pid "$2")
  "${load_pin[@]}" java -jar "$LOAD_JAR" hold --url "ws://127.0.0.1:$srv_port/ws" --connections "$1" --room-size 2 \
    --duration 1s --connect-timeout 180s "${pid_args[@]}" 2>/dev/null || true
}

declare -A secs cpu
read -r -a order <<<"$TARGETS"
log "targets: $TARGETS; $ROUNDS rounds of $CONNECTIONS sockets after $WARM_CONNECTIONS warm; server on CPU $SERVER_CPU, load on CPU $LOAD_CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for t in "${order[@]}"; do
    while (( $(time_wait) > TIME_WAIT_LIMIT )); do sleep 1; done
    start_server "$t" "$r"
    warm=$(hold "$WARM_CONNECTIONS" "")
    [[ "$(json_num "$warm" joined)" == "$WARM_CONNECTIONS" ]] || log "warning: $t round $r: warm-up joined $(json_num "$warm" joined) of $WARM_CONNECTIONS"
    out=$(hold "$CONNECTIONS" "$srv_pid")
    stop_server
    echo "$r $t $out" >>"$RESULTS_DIR/results.jsonl"
    if [[ "$out" == *'"ok":true'* ]]; then
      secs[$r,$t]=$(json_num "$out" setUpSeconds); cpu[$r,$t]=$(json_num "$out" serverCpuMicrosPerSetUp)
    else
      secs[$r,$t]=0; cpu[$r,$t]=0; log "warning: $t round $r: checks failed, left out of the ratios (see results.jsonl)"
    fi
    log "round $r $t: ${secs[$r,$t]} s for $CONNECTIONS set-ups, ${cpu[$r,$t]} us of server CPU each"
  done
  order=("${order[@]:1}" "${order[0]}")
done

# Median and range of per-round values; zeros (failed checks) left out.
stats() { tr ' ' '\n' | awk '$1 > 0' | sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "n/a"; exit}
  m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f [%.2f, %.2f] (n=%d)", m, v[1], v[NR], NR}'; }
{
  echo "# set-up of $CONNECTIONS sockets (upgrade, welcome, join in rooms of 2) after $WARM_CONNECTIONS warm, $ROUNDS rounds, fresh server each"
  echo "# rate vs bare = bare's set-up time / the target's, within a round (goal for app and native: >= 0.7)"
  echo "# cpu vs bare = the target's server CPU per set-up / bare's, within a round"
  for t in $TARGETS; do
    s="" c="" rr="" cr=""
    for r in $(seq 1 "$ROUNDS"); do
      s+=" ${secs[$r,$t]}"; c+=" ${cpu[$r,$t]}"
      rr+=" $(awk -v b="${secs[$r,bare]}" -v x="${secs[$r,$t]}" 'BEGIN {print (b > 0 && x > 0) ? b / x : 0}')"
      cr+=" $(awk -v b="${cpu[$r,bare]}" -v x="${cpu[$r,$t]}" 'BEGIN {print (b > 0 && x > 0) ? x / b : 0}')"
    done
    printf '%-7s set-up s %s | us CPU per set-up %s | rate vs bare %s | cpu vs bare %s\n' "$t" \
      "$(stats <<<"$s")" "$(stats <<<"$c")" "$(stats <<<"$rr")" "$(stats <<<"$cr")"
  done
} | tee "$RESULTS_DIR/summary.txt"
log "raw: $RESULTS_DIR/results.jsonl"
