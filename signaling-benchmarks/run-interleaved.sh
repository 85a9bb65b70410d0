#!/usr/bin/env bash
# Throughput ratios that survive a drifting host: the servers run side by side and are measured in
# turn, round after round, and each ratio is taken within a round before the median is taken.
#
# run-macro.sh measures one server after the other; on this machine a server's own throughput
# drifts by ±30 % over minutes (the host, not the server: bare Undertow's three runs went 48.6k,
# 69.7k, 70.2k req/s in one run), so its ratios compare different minutes. Here every round
# measures every server within about a minute, the order rotating from round to round.
#
# Each round measures, per server: GET /health/live (wrk; not on node, which serves no health
# check), the protocol's ping/pong in closed loops, a closed-loop relay (rooms of two, each socket's
# offer answered straight back by its mate) and, on bare only, the raw WebSocket echo that the
# relay goal is stated against. All WebSocket figures come from the load tool's nio client (one
# selector thread), so the client's own scheduling does not set them.
#
# Builds nothing; first, from the repository root:
#   ./mvnw -B -ntp package -DskipTests      (and the native app jar for TARGETS with native)
# then:
#   signaling-benchmarks/run-interleaved.sh
#
# Environment (defaults in brackets): TARGETS ["app bare"] (app, app0, native, prev, bare, node;
# bare is the denominator and must be among them; app is APP_JAR as built (the native adapter by default, JSR with -Dws.adapter=jsr), app0 the same with tracing.sampling-ratio=0,
# no spans at all; prev is PREV_APP_JAR, another build of the app such as the commit before a
# change, for a before/after in one run; node is ../shared/perf/node-reference-relay, the Node.js
# `ws` reference relay, rate limit lifted as for the app), ROUNDS [7], DURATION [5] (seconds per
# measurement), WARMUP [30] (unmeasured seconds of each kind of traffic per server before the first
# round), HTTP_CONNECTIONS [64] (wrk -t1 -cN on GET /health/live), ECHO_CONNECTIONS [100]
# ECHO_PAYLOAD [200] (closed loops: ping/pong, relay, echo), APP_JAR, APP_NATIVE_JAR, PREV_APP_JAR, BARE_JAR,
# LOAD_JAR, NODE_RELAY_DIR [a directory holding reference-relay.mjs and its node_modules; npm ci
# there first], APP_ARGS [rate limit lifted, as run-macro.sh], SERVER_JAVA_OPTS, SERVER_CPU [0]
# LOAD_CPU [1], RESULTS_DIR [signaling-benchmarks/target/interleaved-<timestamp>].
# Needs wrk (apt-get install wrk), and node for the node target. Loopback only; stops only the
# servers it started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=targets.sh
source "$here/targets.sh"
TARGETS="${TARGETS:-app bare}"
ROUNDS="${ROUNDS:-7}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-30}"
HTTP_CONNECTIONS="${HTTP_CONNECTIONS:-64}"
ECHO_CONNECTIONS="${ECHO_CONNECTIONS:-100}"
ECHO_PAYLOAD="${ECHO_PAYLOAD:-200}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/interleaved-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-interleaved: $*" >&2; exit 2; }
log() { echo "[interleaved $(date +%H:%M:%S)] $*" >&2; }

for v in ROUNDS DURATION HTTP_CONNECTIONS ECHO_CONNECTIONS ECHO_PAYLOAD; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number, got '${!v}'"
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, got '$WARMUP'"
[[ " $TARGETS " == *" bare "* ]] || die "TARGETS must include bare (the denominator of every ratio)"
for t in $TARGETS; do check_target "$t"; done
[[ -f "$LOAD_JAR" ]] || die "load tool not found: $LOAD_JAR"
command -v wrk >/dev/null || die "wrk not on PATH (apt-get install wrk)"
command -v curl >/dev/null || die "curl not on PATH"
mkdir -p "$RESULTS_DIR"

server_pin=() load_pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU"); load_pin=(taskset -c "$LOAD_CPU")
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

load() { "${load_pin[@]}" java -jar "$LOAD_JAR" "$@" 2>/dev/null; }

declare -A port pid
for t in $TARGETS; do
  port[$t]=$(free_port)
  start_target "$t" "${port[$t]}" "$RESULTS_DIR/$t.log"
  pids+=("$target_pid"); pid[$t]=$target_pid
done
log "servers up (${TARGETS}), pinned to CPU $SERVER_CPU; load on CPU $LOAD_CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"

http() { "${load_pin[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${1}s" "http://127.0.0.1:$2/health/live" 2>/dev/null \
           | awk '/^Requests\/sec:/ {print $2}'; }
# A closed loop of STYLE (ping, relay, echo) on port $2 for $3 s against server process $4: prints
# round trips/s (relays/s for relay) and the same per second of the server's CPU time.
loop() { local out; out=$(load echo --style "$1" --url "ws://127.0.0.1:$2/ws" --connections "$ECHO_CONNECTIONS" \
           --payload-bytes "$ECHO_PAYLOAD" --duration "${3}s" --pid "$4")
         echo "$1 $2 $out" >>"$RESULTS_DIR/loops.jsonl"
         [[ "$out" == *'"ok":true'* ]] || { echo "0 0"; return; } # a failed check is no figure
         echo "$(json_num "$out" "$([[ "$1" == relay ]] && echo relaysPerSec || echo roundTripsPerSec)")" \
              "$(json_num "$out" perServerCpuSecond)"; }
# What each target is measured on: node serves no health check, only bare echoes raw text.
kinds() { case "$1" in node) echo "ping relay" ;; bare) echo "http ping relay echo" ;; *) echo "http ping relay" ;; esac; }
measure() { case "$1" in http) echo "$(http "$3" "$2") 0" ;; *) loop "$1" "$2" "$3" "$4" ;; esac; }

if (( WARMUP > 0 )); then
  for t in $TARGETS; do
    for k in $(kinds "$t"); do measure "$k" "${port[$t]}" "$WARMUP" "${pid[$t]}" >/dev/null; done
  done
  log "warmed up: ${WARMUP}s of each kind of traffic per server"
fi

read -r -a order <<<"$TARGETS"
results="$RESULTS_DIR/rounds.tsv"
printf 'round\ttarget\tkind\tper_s\tper_server_cpu_s\n' >"$results"
for r in $(seq 1 "$ROUNDS"); do
  for t in "${order[@]}"; do
    for k in $(kinds "$t"); do
      read -r v c <<<"$(measure "$k" "${port[$t]}" "$DURATION" "${pid[$t]}")"
      printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$k" "${v:-0}" "${c:-0}" >>"$results"
    done
  done
  log "round $r of $ROUNDS done (order ${order[*]}); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  order=("${order[@]:1}" "${order[0]}")
done

python3 - "$results" <<'PY' | tee "$RESULTS_DIR/summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rounds = sorted({int(r["round"]) for r in rows})
targets = list(dict.fromkeys(r["target"] for r in rows))
val = {(int(r["round"]), r["target"], r["kind"]): float(r["per_s"]) for r in rows}
# The same figures per second of the server's CPU time (closed loops only): a cost per message that
# holds whether the server or the client was at its core's limit.
cpu = {(int(r["round"]), r["target"], r["kind"] + "/cpu"): float(r["per_server_cpu_s"]) for r in rows
       if r["kind"] != "http"}
val.update(cpu)
names = {"http": "GET /health/live req/s", "ping": "ping/pong round trips/s (closed loops)",
         "relay": "relays/s (closed loops, rooms of two)", "echo": "raw WebSocket echo round trips/s (closed loops)"}
for k in ("ping", "relay", "echo"):
    names[k + "/cpu"] = names[k].replace("/s (", " per server CPU second (")

def ratio_line(t, k, over, over_kind):
    # Per-round ratios; a round where either side failed its checks (recorded as 0) is left out.
    ratios = [val[(r, t, k)] / val[(r, over, over_kind)] for r in rounds
              if val.get((r, over, over_kind), 0) > 0 and val.get((r, t, k), 0) > 0]
    if not ratios:
        return f"   {t}/{over} {over_kind}: no round with both"
    failed = len(rounds) - len(ratios)
    note = f", {failed} round(s) left out: a failed check" if failed else ""
    return (f"   {t}/{over}{'' if over_kind == k else ' ' + over_kind} median {statistics.median(ratios):.2f}"
            f" [{min(ratios):.2f}, {max(ratios):.2f}]{note}")

print(f"{len(rounds)} rounds; per-round ratios, then their median [min, max]")
for k in ("http", "ping", "relay", "echo", "ping/cpu", "relay/cpu", "echo/cpu"):
    measured = [t for t in targets if (rounds[0], t, k) in val]
    if not measured:
        continue
    print(names[k])
    for t in measured:
        vals = [val[(r, t, k)] for r in rounds]
        line = f"  {t:7} median {statistics.median(vals):10.1f}  [{min(vals):.1f}, {max(vals):.1f}]"
        if t != "bare" and (rounds[0], "bare", k) in val:
            line += ratio_line(t, k, "bare", k)
        if k in ("relay", "relay/cpu"):
            line += ratio_line(t, k, "bare", k.replace("relay", "echo"))
            if t != "node" and (rounds[0], "node", k) in val:
                line += ratio_line(t, k, "node", k)
        print(line)
PY
