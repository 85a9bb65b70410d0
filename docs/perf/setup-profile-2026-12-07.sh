#!/usr/bin/env bash
# CPU profile of the set-up of 10,000 sockets (upgrade, welcome, join in rooms of 2) and nothing
# else: a fresh server on CPU 0, warmed by WARMS holds of 2,000 sockets, then async-profiler is
# attached, the load tool's hold (nio client, CPU 1) opens 10,000, and the profiler is stopped as
# soon as the tool reports every socket joined ("holding:").
#   docs/perf/setup-profile-2026-12-07.sh NAME JAR [app flags]   (NAME bare* runs the bare relay)
# Needs libasyncProfiler.so (tools.profiler:async-profiler:4.2:jar:linux-x64, unzipped) in AP_LIB,
# LOAD_JAR; writes $OUT/NAME-setup.collapsed. Loopback only; stops the server it started.
set -euo pipefail
name=$1; jar=$2; shift 2
AP_LIB="${AP_LIB:?set AP_LIB to libasyncProfiler.so}"
LOAD_JAR="${LOAD_JAR:-signaling-benchmarks/target/signaling-load.jar}"
OUT="${OUT:-.}"; WARMS="${WARMS:-3}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null || true' EXIT
cat >"$tmp/Attach.java" <<'JAVA'
public class Attach { public static void main(String[] a) throws Exception {
  var vm = com.sun.tools.attach.VirtualMachine.attach(a[0]); try { vm.loadAgentPath(a[1], a[2]); } finally { vm.detach(); } } }
JAVA
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port)
if [[ $name == bare* ]]; then
  taskset -c 0 java -jar "$jar" --server.port="$port" >"$OUT/$name.log" 2>&1 &
else
  taskset -c 0 java -jar "$jar" --server.port="$port" --admin.port="$(free_port)" \
    --rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000 "$@" >"$OUT/$name.log" 2>&1 &
fi
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.2; done
for _ in $(seq 1 "$WARMS"); do
  taskset -c 1 java -jar "$LOAD_JAR" hold --url "ws://127.0.0.1:$port/ws" --connections 2000 --room-size 2 --duration 1s >/dev/null 2>&1
done
java "$tmp/Attach.java" "$pid" "$AP_LIB" "start,event=cpu,interval=499us"
taskset -c 1 java -jar "$LOAD_JAR" hold --url "ws://127.0.0.1:$port/ws" --connections 10000 --room-size 2 --duration 5s \
  --pid "$pid" >"$OUT/$name-hold.json" 2>"$tmp/progress" &
tool=$!
until grep -q "holding:" "$tmp/progress" || ! kill -0 "$tool" 2>/dev/null; do sleep 0.05; done
java "$tmp/Attach.java" "$pid" "$AP_LIB" "stop,file=$(realpath "$OUT")/$name-setup.collapsed,collapsed"
wait "$tool" || true
cat "$OUT/$name-hold.json"
