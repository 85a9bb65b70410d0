#!/usr/bin/env bash
# The dashboard picture in README.md (docs/images/dashboard.png): a real node under load, scraped
# by a real Prometheus (Debian's `prometheus`, with the compose stack's prometheus.yml, only its
# target rewritten), the Grafana dashboard's own queries drawn by scripts/dashboard-snapshot.mjs
# and photographed by headless Chromium. Grafana itself is not obtainable here (no apt, npm or
# Maven package), so its renderer is the one stand-in; every number is a real scrape.
# Two nodes share a redis-server started here, as in the compose stack, and every second relaying
# socket lands on the second node, so the cluster row draws real cross-node traffic.
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), prometheus, redis-server, node, chromium.
# Loopback only; every process it starts is stopped by PID on exit.
# Environment: LOAD_SECONDS [120], APP_JAR, LOAD_JAR (default: the module targets).
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS="${LOAD_SECONDS:-120}"
app_jar="${APP_JAR:-signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
load_jar="${LOAD_JAR:-signaling-benchmarks/target/signaling-load.jar}"
for f in "$app_jar" "$load_jar"; do [[ -f $f ]] || { echo "missing $f: run ./mvnw -B -ntp package -DskipTests" >&2; exit 2; }; done
for p in prometheus redis-server node; do command -v $p >/dev/null || { echo "missing $p: apt-get install $p" >&2; exit 2; }; done
chromium=$(command -v chromium || command -v chromium-browser || true)
[[ -n $chromium ]] || { echo "missing chromium: apt-get install chromium" >&2; exit 2; }

work=$(mktemp -d -t dashboard-snapshot-XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

pub=$(free_port); adm=$(free_port); pub2=$(free_port); adm2=$(free_port); prom=$(free_port); redis=$(free_port)
redis-server --port "$redis" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis" ping >/dev/null 2>&1 && break; sleep 0.1; done
cluster=(--redis.enabled=true "--redis.uri=redis://127.0.0.1:$redis")
java -jar "$app_jar" --server.host=127.0.0.1 --server.port="$pub" --admin.port="$adm" \
  --service.instance-id=signaling-1 "${cluster[@]}" >"$work/app.log" 2>&1 &
pids+=($!)
java -jar "$app_jar" --server.host=127.0.0.1 --server.port="$pub2" --admin.port="$adm2" \
  --service.instance-id=signaling-2 "${cluster[@]}" >"$work/app2.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$adm/health/ready"
wait_http "http://127.0.0.1:$adm2/health/ready"

sed -e "s/signaling:9090/127.0.0.1:$adm/" -e "s/signaling-2:9090/127.0.0.1:$adm2/" -e "s/localhost:9090/127.0.0.1:$prom/" \
  docker/prometheus/prometheus.yml >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom" >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$prom/-/ready"

start=$(date +%s)
echo "load for ${LOAD_SECONDS}s: 100 relaying WebSockets over two nodes, HTTP probes" >&2
java -jar "$load_jar" relay --url "ws://127.0.0.1:$pub/ws" --url2 "ws://127.0.0.1:$pub2/ws" --connections 100 --room-size 2 --rate 5 \
  --duration "${LOAD_SECONDS}s" >"$work/relay.json" 2>"$work/relay.log" &
relay=$!; pids+=($relay)
java -jar "$load_jar" http --url "http://127.0.0.1:$pub/health/ready" --connections 4 \
  --duration "${LOAD_SECONDS}s" >"$work/http.json" 2>"$work/http.log" &
http=$!; pids+=($http)
# A few refused requests, so the error panels draw something real too.
for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$pub/no-such-page" || true; sleep 1; done
# The picture is taken whatever the load tool concluded; its verdict is printed beside it.
wait "$relay" || echo "the relay load reported a problem (on a busy machine: latency past its grace): $work/relay.json" >&2
wait "$http" || echo "the HTTP load reported a problem: $work/http.json" >&2
sleep 10   # two more scrapes after the load ends
end=$(date +%s)

node scripts/dashboard-snapshot.mjs "http://127.0.0.1:$prom" "$start" "$end" "$work/dashboard.html" >"$work/page.json"
height=$(python3 -c "import json; print(json.load(open('$work/page.json'))['height'])")
width=$(python3 -c "import json; print(json.load(open('$work/page.json'))['width'])")
mkdir -p docs/images
"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/chrome" \
  --window-size="$width,$height" --screenshot="$PWD/docs/images/dashboard.png" "file://$work/dashboard.html" \
  >"$work/chromium.log" 2>&1
[[ -s docs/images/dashboard.png ]] || { cat "$work/chromium.log" >&2; exit 1; }
echo "docs/images/dashboard.png (${width}x${height}) from $work"
