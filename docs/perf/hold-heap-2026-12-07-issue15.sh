#!/bin/bash
# Issue 15 part B: what a node keeps per idle joined socket and allocates per connection set-up.
# (The commands behind docs/perf/hold-heap-2026-12-07-issue15.txt, from the repository root.)
#
#   hold-heap-2026-12-07-issue15.sh histo app|bare JAR TAG [server JVM options]
#       class histograms (live objects: the histogram collects first) of the server before the
#       hold and with 10,000 sockets open, upgraded, welcomed and joined (rooms of 2);
#       then prints the difference per socket, largest first
#   hold-heap-2026-12-07-issue15.sh alloc app|bare JAR TAG
#       the same hold under Epsilon GC (never collects: used heap = bytes allocated); prints the
#       bytes allocated per connection while the sockets were opened
#
# The app is started as run-macro.sh starts it (defaults, rate limit lifted); extra app options
# in APP_EXTRA (e.g. APP_EXTRA=--tracing.sampling-ratio=0). Output in ${OUT:-/tmp/hold-heap}.
set -euo pipefail
what=$1 kind=$2 jar=$3 tag=$4
shift 4
out=${OUT:-/tmp/hold-heap}
load_jar=${LOAD_JAR:-signaling-benchmarks/target/signaling-load.jar}
mkdir -p "$out"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
jvm=("$@")
[[ $what == alloc ]] && jvm+=(-XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms6g -Xmx6g)
snapshot() { if [[ $what == alloc ]]; then jcmd "$pid" GC.heap_info; else jcmd "$pid" GC.class_histogram; fi; }

port=$(free_port) admin=$(free_port)
if [[ $kind == bare ]]; then
  java "${jvm[@]}" -jar "$jar" --server.port="$port" >"$out/$tag-server.log" 2>&1 &
else
  # shellcheck disable=SC2086
  java "${jvm[@]}" -jar "$jar" --server.port="$port" --admin.port="$admin" \
    --rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000 ${APP_EXTRA:-} >"$out/$tag-server.log" 2>&1 &
fi
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  curl -sf "http://127.0.0.1:$admin/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
sleep 2
snapshot >"$out/$tag-before.txt"
duration=25s; [[ $what == alloc ]] && duration=3s
java -jar "$load_jar" hold --url "ws://127.0.0.1:$port/ws" --connections 10000 --room-size 2 \
  --duration "$duration" --connect-timeout 180s --pid "$pid" >"$out/$tag-hold.json" 2>"$out/$tag-hold.err" &
load=$!
for _ in $(seq 1 900); do
  [[ $(ss -Htn state established "( sport = :$port )" | wc -l) -ge 10000 ]] && break
  sleep 0.2
done
[[ $what == alloc ]] && sleep 1 || sleep 4
snapshot >"$out/$tag-held.txt"
wait "$load" || true
cat "$out/$tag-hold.json"; echo

python3 - "$what" "$out/$tag-before.txt" "$out/$tag-held.txt" <<'PY'
import re, sys
what, before, held = sys.argv[1:4]
n = 10000
if what == "alloc":
    def used(p):
        m = re.search(r"\[0x([0-9a-f]+), 0x([0-9a-f]+)", open(p).read())
        return int(m.group(2), 16) - int(m.group(1), 16)
    d = used(held) - used(before)
    print("allocated while opening: %.1f MB = %.0f B per connection" % (d / 1e6, d / n))
    sys.exit()
def load(p):
    rows = {}
    for line in open(p):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows
a, b = load(before), load(held)
rows = sorted(((b.get(k, (0, 0))[1] - a.get(k, (0, 0))[1], b.get(k, (0, 0))[0] - a.get(k, (0, 0))[0], k)
               for k in set(a) | set(b)), reverse=True)
print("live heap per socket: %.1f B" % (sum(r[0] for r in rows) / n))
for size, count, name in rows[:60]:
    print("%8.1f B/socket %5.2f/socket %s" % (size / n, count / n, name))
PY
