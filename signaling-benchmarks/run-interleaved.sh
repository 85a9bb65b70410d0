#!/usr/bin/env bash
# Throughput ratios that survive a drifting host: the servers run side by side and are measured in
# turn, round after round, and each ratio is taken within a round before the median is taken.
#
# run-macro.sh measures one server after the other; on this machine a server's own throughput
# drifts by ±30 % over minutes (the host, not the server: bare Undertow's three runs went 48.6k,
# 69.7k, 70.2k req/s in one run), so its ratios compare different minutes. Here every round
# measures every server within about a minute, the order rotating from round to round.
#
# Builds nothing; first, from the repository root:
#   ./mvnw -B -ntp package -DskipTests      (and the native app jar for TARGETS with native)
# then:
#   signaling-benchmarks/run-interleaved.sh
#
# Environment (defaults in brackets): TARGETS ["app bare"] (app, native, bare; bare is the
# denominator and must be among them), ROUNDS [7], DURATION [5] (seconds per measurement),
# WARMUP [30] (unmeasured seconds of each kind of traffic per server before the first round),
# HTTP_CONNECTIONS [64] (wrk -t1 -cN on GET /health/live), ECHO_CONNECTIONS [100] ECHO_PAYLOAD [200]
# (the protocol's ping/pong, closed loop), APP_JAR, APP_NATIVE_JAR, BARE_JAR, LOAD_JAR,
# APP_ARGS [rate limit lifted, as run-macro.sh], SERVER_JAVA_OPTS, SERVER_CPU [0] LOAD_CPU [1],
# RESULTS_DIR [signaling-benchmarks/target/interleaved-<timestamp>].
# Needs wrk (apt-get install wrk). Loopback only; stops only the servers it started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
TARGETS="${TARGETS:-app bare}"
ROUNDS="${ROUNDS:-7}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-30}"
HTTP_CONNECTIONS="${HTTP_CONNECTIONS:-64}"
ECHO_CONNECTIONS="${ECHO_CONNECTIONS:-100}"
ECHO_PAYLOAD="${ECHO_PAYLOAD:-200}"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
APP_NATIVE_JAR="${APP_NATIVE_JAR:-}"
BARE_JAR="${BARE_JAR:-$here/target/bare-undertow.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
APP_ARGS="${APP_ARGS---rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/interleaved-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-interleaved: $*" >&2; exit 2; }
log() { echo "[interleaved $(date +%H:%M:%S)] $*" >&2; }

for v in ROUNDS DURATION HTTP_CONNECTIONS ECHO_CONNECTIONS ECHO_PAYLOAD; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number, got '${!v}'"
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, got '$WARMUP'"
[[ " $TARGETS " == *" bare "* ]] || die "TARGETS must include bare (the denominator of every ratio)"
for t in $TARGETS; do
  case "$t" in
    app) [[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (run ./mvnw -B -ntp package -DskipTests)" ;;
    native) [[ -n "$APP_NATIVE_JAR" && -f "$APP_NATIVE_JAR" ]] || die "native app jar not found: '$APP_NATIVE_JAR' (build with -Dws.adapter=native, set APP_NATIVE_JAR)" ;;
    bare) [[ -f "$BARE_JAR" ]] || die "bare jar not found: $BARE_JAR (run ./mvnw -B -ntp package -DskipTests)" ;;
    *) die "unknown target '$t' in TARGETS (expected app, native and/or bare)" ;;
  esac
done
[[ -f "$LOAD_JAR" ]] || die "load tool not found: $LOAD_JAR"
command -v wrk >/dev/null || die "wrk not on PATH (apt-get install wrk)"
command -v curl >/dev/null || die "curl not on PATH"
mkdir -p "$RESULTS_DIR"

server_pin=() load_pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  server_pin=(taskset -c "$SERVER_CPU"); load_pin=(taskset -c "$LOAD_CPU")
fi

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json_num() { grep -o "\"$2\":-\{0,1\}[0-9.]*" <<<"$1" | head -1 | cut -d: -f2; }
load() { "${load_pin[@]}" java -jar "$LOAD_JAR" "$@" 2>/dev/null; }

declare -A port
for t in $TARGETS; do
  port[$t]=$(free_port)
  # shellcheck disable=SC2086  # SERVER_JAVA_OPTS and APP_ARGS are word lists
  case "$t" in
    app|native) jar="$APP_JAR"; [[ "$t" == native ]] && jar="$APP_NATIVE_JAR"
      "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$jar" --server.port="${port[$t]}" --admin.port="$(free_port)" \
        $APP_ARGS >"$RESULTS_DIR/$t.log" 2>&1 & ;;
    bare) "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$BARE_JAR" --server.port="${port[$t]}" >"$RESULTS_DIR/$t.log" 2>&1 & ;;
  esac
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${port[$t]}/health/ready" && break
    kill -0 "${pids[-1]}" 2>/dev/null || die "$t exited at start (see $RESULTS_DIR/$t.log)"
    sleep 0.1
  done
done
log "servers up (${TARGETS}), pinned to CPU $SERVER_CPU; load on CPU $LOAD_CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"

http() { "${load_pin[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${1}s" "http://127.0.0.1:$2/health/live" 2>/dev/null \
           | awk '/^Requests\/sec:/ {print $2}'; }
ping_pong() { json_num "$(load echo --style ping --url "ws://127.0.0.1:$1/ws" --connections "$ECHO_CONNECTIONS" \
           --payload-bytes "$ECHO_PAYLOAD" --duration "${2}s")" roundTripsPerSec; }

if (( WARMUP > 0 )); then
  for t in $TARGETS; do
    http "$WARMUP" "${port[$t]}" >/dev/null; ping_pong "${port[$t]}" "$WARMUP" >/dev/null
  done
  log "warmed up: ${WARMUP}s of each kind of traffic per server"
fi

read -r -a order <<<"$TARGETS"
results="$RESULTS_DIR/rounds.tsv"
printf 'round\ttarget\thttp_req_per_s\tping_round_trips_per_s\n' >"$results"
for r in $(seq 1 "$ROUNDS"); do
  for t in "${order[@]}"; do
    h=$(http "$DURATION" "${port[$t]}"); p=$(ping_pong "${port[$t]}" "$DURATION")
    printf '%s\t%s\t%s\t%s\n' "$r" "$t" "${h:-0}" "${p:-0}" >>"$results"
  done
  log "round $r of $ROUNDS done (order ${order[*]}); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  order=("${order[@]:1}" "${order[0]}")
done

python3 - "$results" <<'PY' | tee "$RESULTS_DIR/summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rounds = sorted({int(r["round"]) for r in rows})
targets = list(dict.fromkeys(r["target"] for r in rows))
val = {(int(r["round"]), r["target"], k): float(r[k]) for r in rows for k in ("http_req_per_s", "ping_round_trips_per_s")}
print(f"{len(rounds)} rounds; per-round ratios against bare, then their median [min, max]")
for k, name in (("http_req_per_s", "GET /health/live req/s"), ("ping_round_trips_per_s", "ping/pong round trips/s")):
    print(name)
    for t in targets:
        vals = [val[(r, t, k)] for r in rounds]
        line = f"  {t:7} median {statistics.median(vals):10.1f}  [{min(vals):.1f}, {max(vals):.1f}]"
        if t != "bare":
            ratios = [val[(r, t, k)] / val[(r, "bare", k)] for r in rounds if val[(r, "bare", k)] > 0]
            line += f"   {t}/bare median {statistics.median(ratios):.2f} [{min(ratios):.2f}, {max(ratios):.2f}]"
        print(line)
PY
