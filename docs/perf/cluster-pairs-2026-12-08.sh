#!/usr/bin/env bash
# Cross-node against same-node relay p50, in pairs on the same servers (issue 12's latency budget).
#
#   docs/perf/cluster-pairs-2026-12-08.sh OUT ROUNDS PAIRS JAR [JAR ...]     (from the repository root)
#
# Per round and jar: a fresh redis-server and two app nodes (unpinned, rate limit lifted), one
# unmeasured 8 s run of each layout, then PAIRS pairs of 10 s runs: every room's two peers on
# different nodes ("two"), then on one node ("one"); 1,000 sockets, rooms of 2, 1 relay/s each,
# 200-byte payloads. Appends one line per pair to OUT. Stops what it started, by PID.
set -u
out=$1 rounds=$2 pairs=$3
shift 3
load_jar=${LOAD_JAR:-signaling-benchmarks/target/signaling-load.jar}
logs=${TMPDIR:-/tmp}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
p50() { local secs=$1; shift
        java -jar "$load_jar" relay "$@" --connections 1000 --room-size 2 --rate 1 --payload-bytes 200 \
          --duration "${secs}s" 2>/dev/null | grep -o '"p50Ms":[0-9.]*' | cut -d: -f2; }
for r in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    rp=$(free_port)
    redis-server --bind 127.0.0.1 --port "$rp" --save '' --appendonly no --logfile "$logs/pairs-redis-$rp.log" &
    rpid=$!
    for _ in $(seq 1 50); do [[ "$(redis-cli -p "$rp" ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
    args=(--redis.enabled=true "--redis.uri=redis://127.0.0.1:$rp" "--redis.key-prefix=pairs$$"
          --rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000)
    p1=$(free_port) a1=$(free_port) p2=$(free_port) a2=$(free_port)
    java -jar "$jar" --server.port="$p1" --admin.port="$a1" "${args[@]}" --service.instance-id=n1 >"$logs/pairs-n1.log" 2>&1 &
    n1=$!
    java -jar "$jar" --server.port="$p2" --admin.port="$a2" "${args[@]}" --service.instance-id=n2 >"$logs/pairs-n2.log" 2>&1 &
    n2=$!
    for a in "$a1" "$a2"; do
      for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$a/health/ready" >/dev/null && break; sleep 0.1; done
    done
    u1=ws://127.0.0.1:$p1/ws u2=ws://127.0.0.1:$p2/ws
    p50 8 --url "$u1" --url2 "$u2" >/dev/null
    p50 8 --url "$u1" >/dev/null
    for _ in $(seq 1 "$pairs"); do
      two=$(p50 10 --url "$u1" --url2 "$u2")
      one=$(p50 10 --url "$u1")
      echo "$(date +%H:%M:%S) round $r $jar two $two one $one diff $(python3 -c "print(round($two - $one, 3))")" | tee -a "$out"
    done
    kill "$n1" "$n2"
    wait "$n1" "$n2" 2>/dev/null
    kill "$rpid"
    wait "$rpid" 2>/dev/null
  done
done
