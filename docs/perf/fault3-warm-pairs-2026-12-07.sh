#!/usr/bin/env bash
# Fault 3 by hand, one warmed pair (docs/reliability.md, "A profile of the close second, and warmed
# servers"): a fresh app server pinned to CPU 0, 40 s of the fast relay alone (its p99 is the
# undisturbed figure), then 500 slow consumers beside the same fast relay on the same server.
#   docs/perf/fault3-warm-pairs-2026-12-07.sh plain|fullgc|scrape|gclog <round>
# fullgc: a forced full GC between the two runs; scrape: GET /metrics every second during the slow
# run; gclog: the server writes a GC log. Needs the built jars (./mvnw -B -ntp package -DskipTests),
# taskset and 2 CPUs. Stops the server it started, by PID.
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
LOAD_JAR="${LOAD_JAR:-$root/signaling-benchmarks/target/signaling-load.jar}"
v=$1; d="${OUT:-$root/signaling-benchmarks/target/fault3-pairs}/$v-$2"; mkdir -p "$d"; cd "$d" || exit 2
opts="-Xmx512m"; [ "$v" = gclog ] && opts="$opts -Xlog:gc:file=$d/gc.log:uptime"
# shellcheck disable=SC2086
(taskset -c 0 java $opts -jar "$APP_JAR" --server.host=127.0.0.1 --server.port=0 --admin.port=0 --logging.access-log=false > server.log 2>&1 & echo $! > pid)
for _ in $(seq 1 60); do
  port=$(grep -o '"public":"http://127.0.0.1:[0-9]*"' server.log 2>/dev/null | grep -o '[0-9]*"$' | tr -d '"')
  admin=$(grep -o '"admin":"http://127.0.0.1:[0-9]*"' server.log 2>/dev/null | grep -o '[0-9]*"$' | tr -d '"')
  [ -n "$port" ] && [ -n "$admin" ] && break
  sleep 0.5
done
A="relay --room-size 2 --rate 2 --payload-bytes 200 --client nio --grace 2s --concurrency 64 --url ws://127.0.0.1:$port/ws --connections 1000"
# shellcheck disable=SC2086
taskset -c 1 java -jar "$LOAD_JAR" $A --duration 40s > base.json 2> base.err
[ "$v" = fullgc ] && jcmd "$(cat pid)" GC.run > /dev/null
# shellcheck disable=SC2086
taskset -c 1 java -jar "$LOAD_JAR" $A --duration 40s --slow-consumers 500 --slow-rate 1 --slow-payload-bytes 4000 --slow-after 0 > slow.json 2> slow.err &
r=$!
if [ "$v" = scrape ]; then while kill -0 $r 2>/dev/null; do curl -s -o /dev/null "http://127.0.0.1:$admin/metrics"; sleep 1; done; fi
wait $r
kill "$(cat pid)"
echo "$v $2: base $(grep -o '"p99Ms":[0-9.]*' base.json | head -1) slow $(grep -o '"p99Ms":[0-9.]*' slow.json | head -1) closed $(grep -o '"closedByServer":[0-9]*' slow.json)"
