#!/usr/bin/env bash
# Runs the Compose stack's load balancer configuration (docker/haproxy/haproxy.cfg) for real,
# without a container engine: Debian's haproxy (the stack's image is the same version) in front of
# two nodes of the built jar sharing a redis-server, all child processes of this script on free
# loopback ports, stopped by their PIDs at exit. Only the addresses are rewritten (Compose service
# names become 127.0.0.1 ports); every other line of the file is used as it is.
#
#   ./mvnw -B -ntp -pl signaling-app -am package -DskipTests && scripts/check-lb.sh
#
# Checks: haproxy takes both nodes in (their /health/ready checks pass); two WebSocket peers that
# connect through the load balancer land on different nodes (round robin) and relay an offer and
# an answer through Redis (the nodes count cross-node envelopes); draining node 1 (SIGTERM) takes
# it out of the load balancer, its peer gets goaway and 1001 through haproxy, and the peer on
# node 2 gets peer-left (shutdown); draining node 2 then closes its peer the same way. Needs java, redis-server, redis-cli, haproxy, curl and
# Node >= 20.10 (scripts/ws-peers.mjs). Exit 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR="${APP_JAR:-signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
for tool in java redis-server redis-cli haproxy curl node; do
  command -v "$tool" >/dev/null || { echo "check-lb: $tool missing" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "check-lb: $JAR missing (./mvnw -B -ntp -pl signaling-app -am package -DskipTests)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/check-lb.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

passed=0
failed=0
check() {
  local name="$1"; shift
  local out status=0
  out="$("$@" 2>&1)" || status=$?
  [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/   /'
  if [ "$status" -eq 0 ]; then echo "   PASS $name"; passed=$((passed + 1)); else echo "   FAIL $name"; failed=$((failed + 1)); fi
}
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
}
await_url() { # url, seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "no 200 from $1 within $2 s"; return 1
}

read -r REDIS_PORT P1 A1 P2 A2 LB < <(free_ports 6)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" >/dev/null 2>&1 &
PIDS+=($!)
node_start() { # name public admin
  java -jar "$JAR" --server.host=127.0.0.1 --server.port="$2" --admin.port="$3" --service.instance-id="$1" \
    --redis.enabled=true --redis.uri="redis://127.0.0.1:$REDIS_PORT" --shutdown.readiness-delay=3s \
    --shutdown.drain-timeout=3s >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
node_start node-1 "$P1" "$A1"
N1_PID=${PIDS[-1]}
node_start node-2 "$P2" "$A2"
N2_PID=${PIDS[-1]}

# The stack's file, addresses only: Compose's DNS resolver section and service names go.
sed -e "s/^  bind :8000$/  bind 127.0.0.1:$LB/" \
    -e "s/ signaling:8080 / 127.0.0.1:$P1 /" -e "s/ signaling-2:8080 / 127.0.0.1:$P2 /" \
    -e "s/ resolvers docker init-addr last,libc,none//" \
    -e '/^resolvers docker$/,$d' docker/haproxy/haproxy.cfg >"$WORK/haproxy.cfg"
echo "== haproxy.cfg as run (diff against docker/haproxy/haproxy.cfg)"
diff docker/haproxy/haproxy.cfg "$WORK/haproxy.cfg" | sed 's/^/   /' || true
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)

echo "== checks"
check "node 1 ready" await_url "http://127.0.0.1:$P1/health/ready" 90
check "node 2 ready" await_url "http://127.0.0.1:$P2/health/ready" 90
check "haproxy answers its monitor URI" await_url "http://127.0.0.1:$LB/lb-health" 30
# Two health checks (rise 2, inter 2s) per node before haproxy sends it traffic.
sleep 5
check "/health/ready through the load balancer" await_url "http://127.0.0.1:$LB/health/ready" 30

node --experimental-websocket --no-warnings scripts/ws-peers.mjs \
  "ws://127.0.0.1:$LB/ws" "ws://127.0.0.1:$LB/ws" 90 >"$WORK/peers.out" 2>"$WORK/peers.err" &
PEERS=$!
relayed() {
  local deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    grep -q '"event":"relayed"' "$WORK/peers.out" && { cat "$WORK/peers.out"; return 0; }
    kill -0 "$PEERS" 2>/dev/null || { cat "$WORK/peers.out" "$WORK/peers.err"; return 1; }
    sleep 0.2
  done
  cat "$WORK/peers.out" "$WORK/peers.err"; return 1
}
check "two peers through the load balancer relay an offer and an answer (WebSocket upgrade passed)" relayed
across() {
  local m1 m2
  m1="$(curl -fsS "http://127.0.0.1:$A1/metrics" | grep '^signaling_cluster_deliveries_total{.*direction="out"' | awk '{s+=$2} END {print s+0}')"
  m2="$(curl -fsS "http://127.0.0.1:$A2/metrics" | grep '^signaling_cluster_deliveries_total{.*direction="out"' | awk '{s+=$2} END {print s+0}')"
  echo "cross-node envelopes sent: node 1 $m1, node 2 $m2"
  awk -v a="$m1" -v b="$m2" 'BEGIN {exit !(a >= 1 && b >= 1)}'
}
check "the peers sit on different nodes: each node sent envelopes across" across
kill -TERM "$N1_PID"
out_of_lb() {
  # Readiness 503 during node 1's readiness delay: haproxy marks it DOWN (fall 2).
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    grep -q "signaling/signaling-1 is DOWN" "$WORK/haproxy.log" && { grep "signaling-1 is DOWN" "$WORK/haproxy.log"; return 0; }
    sleep 0.2
  done
  cat "$WORK/haproxy.log"; return 1
}
check "draining node 1 is taken out of the load balancer" out_of_lb
kill -TERM "$N2_PID"
PEERS_STATUS=0
wait "$PEERS" || PEERS_STATUS=$?
drained() { cat "$WORK/peers.out" "$WORK/peers.err"; [ "$PEERS_STATUS" = 0 ]; }
check "both peers got goaway, then close 1001, through haproxy" drained
left() { grep -F '"peerLeft":"shutdown"' "$WORK/peers.out"; }
check "the peer on node 2 got peer-left (shutdown) when node 1 drained the other" left
echo
echo "lb-checks: $passed passed, $failed failed (logs in $WORK)"
[ "$failed" -eq 0 ]
