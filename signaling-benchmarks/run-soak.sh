#!/usr/bin/env bash
# Bounded soak (docs/reliability.md): the app jar under steady churn (connect, join, relay, leave,
# drop) for SOAK_DURATION; every SAMPLE_EVERY seconds it records the server's heap after a full GC,
# RSS, thread count and open file descriptors, writes them to samples.csv and draws soak.svg.
# Fails (exit 1) if any of them grows without bound: the smallest of the last three samples above
# the largest of the first half, by more than a quarter plus a fixed slack.
#
# Not run in CI (10 minutes). Builds nothing; first, from the repository root:
#   ./mvnw -B -ntp -pl signaling-benchmarks -am package -DskipTests
# then:
#   nice -n 10 signaling-benchmarks/run-soak.sh
#
# Environment (defaults in brackets):
#   SOAK_DURATION [600]  seconds of churn          SAMPLE_EVERY [30]  seconds between samples
#   CHURN_CONNECTIONS [200]  sockets per churn round (half relay and leave, half are dropped)
#   SERVER_JAVA_OPTS [-Xmx256m]   APP_JAR, LOAD_JAR   jar paths (default: the module targets)
#   RESULTS_DIR [signaling-benchmarks/target/soak-<timestamp>]
#
# Loopback only. Every process it starts is stopped by its PID (trap on EXIT); nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
SOAK_DURATION="${SOAK_DURATION:-600}"
SAMPLE_EVERY="${SAMPLE_EVERY:-30}"
CHURN_CONNECTIONS="${CHURN_CONNECTIONS:-200}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx256m}"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
RESULTS_DIR="${RESULTS_DIR:-$here/target/soak-$(date +%Y%m%d-%H%M%S)}"

die() { echo "run-soak: $*" >&2; exit 2; }
log() { echo "[soak $(date +%H:%M:%S)] $*" >&2; }
[[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (build it first, see the header)"
[[ -f "$LOAD_JAR" ]] || die "load jar not found: $LOAD_JAR"
command -v jcmd >/dev/null || die "jcmd (JDK) is needed for heap-after-GC samples"
mkdir -p "$RESULTS_DIR"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# shellcheck disable=SC2086
java $SERVER_JAVA_OPTS -jar "$APP_JAR" --server.host=127.0.0.1 --server.port=0 --admin.port=0 \
  --logging.access-log=false --shutdown.drain-timeout=5s >"$RESULTS_DIR/server.log" 2>&1 &
server=$!
pids+=("$server")
port=""
for _ in $(seq 1 120); do
  port=$(grep -o '"public":"http://127.0.0.1:[0-9]*"' "$RESULTS_DIR/server.log" 2>/dev/null | grep -o '[0-9]*"$' | tr -d '"' || true)
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || die "server exited at start: $(tail -5 "$RESULTS_DIR/server.log")"
  sleep 0.5
done
[[ -n "$port" ]] || die "server did not start within 60 s"
url="ws://127.0.0.1:$port/ws"
log "server pid $server on port $port; churn for ${SOAK_DURATION}s, a sample every ${SAMPLE_EVERY}s"

# One sample: seconds since start, heap used after a full GC (KiB), RSS (KiB), threads, fds.
sample() {
  local t=$1 heap rss threads fds
  jcmd "$server" GC.run >/dev/null
  heap=$(jcmd "$server" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }')
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$server/status")
  fds=$(find "/proc/$server/fd" -mindepth 1 -maxdepth 1 | wc -l)
  echo "$t,$heap,$rss,$threads,$fds" >>"$RESULTS_DIR/samples.csv"
  log "t=${t}s heapAfterGcKiB=$heap rssKiB=$rss threads=$threads fds=$fds"
}

# Churn: relay rounds (connect, join, relay, leave by closing normally) alternating with hold
# rounds whose client process is killed (-9) mid-hold, so its sockets drop without a close.
half=$(( CHURN_CONNECTIONS / 2 ))
churn() {
  local end=$1 round=0
  while (( $(date +%s) < end )); do
    round=$((round + 1))
    java -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" relay --url "$url" --connections "$half" --room-size 2 \
      --rate 5 --duration 5s --grace 1s >>"$RESULTS_DIR/churn.jsonl" 2>/dev/null || true
    java -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" hold --url "$url" --connections "$half" --room-size 4 \
      --duration 60s >/dev/null 2>&1 &
    local victim=$!
    sleep 4
    kill -9 "$victim" 2>/dev/null || true
    wait "$victim" 2>/dev/null || true
  done
  echo "$round" >"$RESULTS_DIR/rounds"
}

echo "seconds,heapAfterGcKiB,rssKiB,threads,fds" >"$RESULTS_DIR/samples.csv"
start=$(date +%s)
sample 0
churn $(( start + SOAK_DURATION )) &
churner=$!
pids+=("$churner")
next=$SAMPLE_EVERY
while (( next <= SOAK_DURATION )); do
  sleep $(( start + next - $(date +%s) > 0 ? start + next - $(date +%s) : 0 ))
  sample "$next"
  next=$(( next + SAMPLE_EVERY ))
done
wait "$churner" || true
log "churn rounds: $(cat "$RESULTS_DIR/rounds" 2>/dev/null || echo '?')"

# Verdict and plot from samples.csv alone, so either can be redone from a kept run.
verdict=$(awk -F, 'NR > 1 { n++; v[n, 2] = $2; v[n, 3] = $3; v[n, 4] = $4; v[n, 5] = $5 }
  END {
    split("heapAfterGcKiB rssKiB threads fds", name, " ")
    split("16384 65536 20 50", slack, " ")
    bad = 0
    for (c = 2; c <= 5; c++) {
      first = 0; for (i = 2; i <= int(n / 2); i++) if (v[i, c] > first) first = v[i, c]
      last = -1; for (i = n - 2; i <= n; i++) if (last < 0 || v[i, c] < last) last = v[i, c]
      limit = first * 1.25 + slack[c - 1]
      status = last > limit ? "GROWS" : "bounded"
      if (last > limit) bad = 1
      printf "%s: first-half max %d, last-three min %d, limit %d: %s\n", name[c - 1], first, last, limit, status
    }
    print (bad ? "FAIL" : "PASS")
  }' "$RESULTS_DIR/samples.csv")
echo "$verdict" | tee "$RESULTS_DIR/verdict.txt" >&2

# soak.svg: one small panel per series, each scaled from 0 to its own maximum.
awk -F, -v title="signaling soak: $(date -u +%Y-%m-%d) ${SOAK_DURATION}s churn, ${CHURN_CONNECTIONS} sockets/round" '
  NR > 1 { n++; t[n] = $1; for (c = 2; c <= 5; c++) v[n, c] = $c }
  END {
    split("heap after GC (MiB),RSS (MiB),threads,file descriptors", name, ",")
    split("1024 1024 1 1", div, " ")
    W = 300; H = 150; padL = 50; padT = 30
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", 2 * (W + padL + 20), 2 * (H + padT + 30) + 20
    printf "<text x=\"10\" y=\"16\" font-size=\"13\">%s</text>\n", title
    tmax = t[n] > 0 ? t[n] : 1
    for (c = 2; c <= 5; c++) {
      k = c - 2; ox = (k % 2) * (W + padL + 20) + padL; oy = int(k / 2) * (H + padT + 30) + padT + 20
      max = 0; for (i = 1; i <= n; i++) if (v[i, c] / div[k + 1] > max) max = v[i, c] / div[k + 1]
      if (max <= 0) max = 1
      printf "<text x=\"%d\" y=\"%d\">%s</text>\n", ox, oy - 6, name[k + 1]
      printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", ox, oy, W, H
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>\n", ox - 4, oy + 10, max
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", ox - 4, oy + H
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%ds</text>\n", ox + W, oy + H + 14, tmax
      printf "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\""
      for (i = 1; i <= n; i++) printf "%.1f,%.1f ", ox + W * t[i] / tmax, oy + H - H * (v[i, c] / div[k + 1]) / max
      printf "\"/>\n"
    }
    print "</svg>"
  }' "$RESULTS_DIR/samples.csv" >"$RESULTS_DIR/soak.svg"
log "samples, verdict and plot in $RESULTS_DIR"
[[ "$(tail -1 <<<"$verdict")" == PASS ]]
