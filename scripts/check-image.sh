#!/usr/bin/env bash
# Builds the container image (docker/Dockerfile) with podman and runs it, asserting what the image
# promises. No container registry is reachable here, so the base is a Debian 12 root file system
# made by debootstrap (openjdk-17-jre-headless and curl, as Temurin's images carry a JRE and curl)
# and imported with `podman import`; the jar is the one the Maven build just made and tested
# (--build-arg JAR_FROM=prebuilt), since the in-container Maven build would need a JDK image
# pulled from a registry. Everything after the jar, i.e. the runtime stage, is built as it is
# for the published image: user, files, AppCDS training run, ENV, HEALTHCHECK, ENTRYPOINT.
#
#   scripts/check-image.sh                 build the jar first: ./mvnw -pl signaling-app -am package
#   scripts/check-image.sh --rebuild-base  bootstrap the base again (e.g. for Debian's updates)
#   scripts/check-image.sh --keep          leave this run's containers and image for a look
#
# Its last run starts a redis-server child on a free loopback port (stopped by its PID at exit) and
# two containers of the image on the host's network as one cluster (docs/cluster.md), with a peer
# on each.
#
# Needs root (debootstrap, rootful podman), podman with runc, debootstrap, curl, redis-server
# (and redis-cli), and Node >= 20.10 for the WebSocket peers (scripts/ws-peers.mjs). Where podman or debootstrap is missing, or not
# root, it prints one line and exits 0 — except under CI=true, where that is a failure.
#
# The base image is cached in podman's storage under a tag derived from what it is made of, so a
# rerun on the same machine skips debootstrap; a CI machine starts without it (the step's cost is
# printed at the end). This script creates only containers, images and temporary files carrying
# this run's id (label io.signaling.check-image.run) and removes only those; the cached base
# carries the label io.signaling.check-image.base, and an older base of this script is removed
# when a new one replaces it.
set -euo pipefail
cd "$(dirname "$0")/.."

REBUILD_BASE=false
KEEP=false
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) REBUILD_BASE=true ;;
    --keep) KEEP=true ;;
    *) echo "usage: $0 [--rebuild-base] [--keep]" >&2; exit 2 ;;
  esac
done

T0=$SECONDS
INSTALL="apt-get install -y --no-install-recommends podman runc debootstrap iptables containernetworking-plugins curl redis-server"
missing=()
for tool in podman runc debootstrap curl redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
why=()
if [ ${#missing[@]} -gt 0 ]; then why+=("missing ${missing[*]} ($INSTALL)"); fi
if ! command -v node >/dev/null 2>&1; then why+=("missing node (Node.js >= 20.10)"); fi
if [ "$(id -u)" != 0 ]; then why+=("needs root (debootstrap, rootful podman)"); fi
if [ ${#why[@]} -gt 0 ]; then
  joined="$(printf '%s; ' "${why[@]}")"
  if [ "${CI:-}" = true ]; then
    echo "check-image: FAIL (CI=true): ${joined%; }" >&2
    exit 1
  fi
  echo "check-image: skipped: ${joined%; }"
  exit 0
fi

# ------------------------------------------------------------------------------------ settings
# Debian's podman defaults to crun, which refuses this kind of machine's hybrid cgroup (v1)
# setup; runc runs the same OCI bundles.
# podman 4.3 also manages HEALTHCHECK timers through systemd, and logs an error at every run,
# stop and rm where systemd is not running (CI containers): that line, and only it, is dropped.
pm() { podman --runtime runc "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,curl
# The same Debian mirror apt uses here (the first deb822 URIs or one-line `deb` entry for the
# main archive), unless DEBIAN_MIRROR says otherwise.
mirror_from_apt() {
  local f
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }
         /^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/) { print $i; exit } }' "$f"
  done | head -1
}
MIRROR="${DEBIAN_MIRROR:-$(mirror_from_apt)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
# The base's tag changes with what goes into it (bump RECIPE when the recipe below changes).
RECIPE=1
BASE_KEY="$(printf '%s|%s|%s|%s' "$RECIPE" "$SUITE" "$PACKAGES" "$(uname -m)" | sha256sum | cut -c1-12)"
BASE_IMAGE="localhost/signaling-check-base:$SUITE-$BASE_KEY"
RUN_ID="$(date +%s)-$$"
RUN_LABEL="io.signaling.check-image.run=$RUN_ID"
IMAGE="localhost/signaling-check:$RUN_ID"
NAME="signaling-check-$RUN_ID"
ORIGIN=http://localhost:8080
# Explicit limits: the runtime refuses to raise them past the host's hard limits, and the
# defaults podman would ask for are above them on some machines.
limit() { local hard="$1" want="$2"; if [ "$hard" = unlimited ] || [ "$hard" -gt "$want" ]; then echo "$want"; else echo "$hard"; fi; }
NOFILE="$(limit "$(ulimit -Hn)" 65536)"
NPROC="$(limit "$(ulimit -Hu)" 8192)"
# --health-interval=disable: podman 4.3 schedules HEALTHCHECK runs with systemd timers, and logs
# errors where systemd is not PID 1 (CI containers); this script runs the image's check itself,
# with `podman healthcheck run`, which is what such a timer runs.
RUN_OPTS=(--label "$RUN_LABEL" --ulimit "nofile=$NOFILE:$NOFILE" --ulimit "nproc=$NPROC:$NPROC" --health-interval=disable)
# Longer than the image's readiness delay (5 s, prod) + drain timeout (20 s, its config file).
GRACE=40

WORK="$(mktemp -d "/tmp/signaling-check-$RUN_ID.XXXX")"
TIMES=()
timed() { TIMES+=("$(printf '%-30s %4ss' "$1" "$2")"); }

# debootstrap mounts /proc and /sys inside the root file system while it installs; an interrupted
# run can leave them there, and rm must never reach into them.
unmount_under() {
  awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
PEERS=
REDIS_PID=
cleanup() {
  local status=$?
  if [ -n "$PEERS" ]; then kill "$PEERS" 2>/dev/null || true; fi
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  unmount_under "$WORK"
  if [ "$KEEP" = true ]; then
    echo "== kept (--keep): containers labelled $RUN_LABEL, image $IMAGE, files in $WORK"
  else
    local ids
    ids="$(podman ps -aq --filter "label=$RUN_LABEL" 2>/dev/null || true)"
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      pm rm -f -t 0 $ids >/dev/null 2>&1 || true
    fi
    if podman image exists "$IMAGE" 2>/dev/null; then podman rmi -f "$IMAGE" >/dev/null 2>&1 || true; fi
    rm -rf --one-file-system "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT

passed=0
failed=0
failures=()
pass() { echo "   PASS $1"; passed=$((passed + 1)); }
fail() { echo "   FAIL $1"; failed=$((failed + 1)); failures+=("$1"); }
# check NAME COMMAND...: one assertion; its output is shown indented.
check() {
  local name="$1"; shift
  local out status=0
  out="$("$@" 2>&1)" || status=$?
  if [ -n "$out" ]; then printf '%s\n' "$out" | sed 's/^/     /'; fi
  if [ "$status" -eq 0 ]; then pass "$name"; else fail "$name"; fi
}
die() { echo "check-image: FAIL: $*" >&2; exit 1; }

echo "== tools"
echo "   $(podman --version), runc $(runc --version | head -1 | awk '{print $3}'), debootstrap $(debootstrap --version | awk '{print $2}'), node $(node --version)"
echo "   ulimits for containers: nofile $NOFILE, nproc $NPROC (host hard limits $(ulimit -Hn), $(ulimit -Hu))"

shopt -s nullglob
jars=(signaling-app/target/signaling-app-*-all.jar)
shopt -u nullglob
[ ${#jars[@]} -eq 1 ] || die "need exactly one signaling-app/target/signaling-app-*-all.jar, found ${#jars[@]}: build it first (./mvnw -B -pl signaling-app -am package -DskipTests)"
JAR="${jars[0]}"
echo "   jar $JAR ($(du -k "$JAR" | cut -f1) KiB)"

# ------------------------------------------------------------------------------------ base
t=$SECONDS
if [ "$REBUILD_BASE" = true ] && podman image exists "$BASE_IMAGE"; then
  podman rmi "$BASE_IMAGE" >/dev/null
fi
if podman image exists "$BASE_IMAGE"; then
  echo "== base $BASE_IMAGE (cached)"
else
  echo "== base $BASE_IMAGE: debootstrap $SUITE from $MIRROR"
  rootfs="$WORK/rootfs"
  t_step=$SECONDS
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -20 "$WORK/debootstrap.log" >&2
    die "debootstrap failed (log above)"
  fi
  # As Temurin's images do: the JDK's default CDS archive, which the image's AppCDS archive
  # extends (without it -XX:ArchiveClassesAtExit has nothing to build on).
  java_bin="$(chroot "$rootfs" readlink -f /usr/bin/java)"
  if [ ! -e "$rootfs$(dirname "$java_bin")/../lib/server/classes.jsa" ]; then
    chroot "$rootfs" java -Xshare:dump >/dev/null
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  timed "base: debootstrap" $((SECONDS - t_step))
  echo "   debootstrap: $((SECONDS - t_step))s, $(grep -c '^I: Retrieving' "$WORK/debootstrap.log") files retrieved, $(du -sm "$rootfs" | cut -f1) MiB"
  t_step=$SECONDS
  tar -C "$rootfs" --numeric-owner -c . | podman import --quiet \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "LABEL io.signaling.check-image.base=$SUITE-$BASE_KEY" \
    --message "debootstrap --variant=minbase --include=$PACKAGES $SUITE ($MIRROR)" \
    - "$BASE_IMAGE" >/dev/null
  timed "base: podman import" $((SECONDS - t_step))
  unmount_under "$rootfs"
  rm -rf --one-file-system "$rootfs"
  # Older bases of this script (another recipe) would otherwise pile up.
  podman images --filter "label=io.signaling.check-image.base" --format '{{.Repository}}:{{.Tag}}' \
    | { grep -vxF "$BASE_IMAGE" || true; } | while read -r old; do podman rmi "$old" >/dev/null 2>&1 || true; done
fi
echo "   $(pm run --rm "${RUN_OPTS[@]}" "$BASE_IMAGE" java -version 2>&1 | head -1)"
timed "base image (all)" $((SECONDS - t))

# ------------------------------------------------------------------------------------ build
echo "== build $IMAGE (runtime stage on $BASE_IMAGE, jar from the build context)"
t=$SECONDS
# --format docker: OCI image configs have no HEALTHCHECK, podman would drop it. --pull=never:
# proves nothing comes from a registry. --layers=false: no intermediate images are left behind.
if ! pm build --format docker --pull=never --layers=false \
    -f docker/Dockerfile -t "$IMAGE" --label "$RUN_LABEL" \
    --build-arg RUNTIME_IMAGE="$BASE_IMAGE" --build-arg JAR_FROM=prebuilt \
    --build-arg VERSION="$(basename "$JAR" | sed -E 's/^signaling-app-(.*)-all\.jar$/\1/')" \
    --build-arg REVISION="$(git rev-parse --verify -q HEAD 2>/dev/null || echo unknown)" \
    . >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log" >&2
  die "podman build failed (log above)"
fi
timed "image build" $((SECONDS - t))
{ grep -E 'STEP [0-9]+/[0-9]+: (FROM|COPY|RUN)|^COMMIT' "$WORK/build.log" || true; } | cut -c1-140 | sed 's/^/   /'

echo "== image"
healthcheck_kept() { podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | grep -F 'health/live'; }
check "the image's HEALTHCHECK survived the build" healthcheck_kept
image_user() { local u; u="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"; echo "$u"; [ "$u" = 10001:10001 ]; }
check "the image's user is 10001:10001" image_user

# ------------------------------------------------------------------------------------ helpers
# The host port podman published for a container port.
host_port() { pm port "$1" "$2/tcp" | head -1 | sed 's/.*://'; }
running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
# Waits (60 s at most) until URL answers 200; fails early when the container has exited.
await_ready() {
  local container="$1" url="$2" deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then echo "$url: 200"; return 0; fi
    running "$container" || { echo "$container exited:"; podman logs --tail 20 "$container" 2>&1; return 1; }
    sleep 0.2
  done
  echo "$url did not answer 200 within 60 s"; return 1
}
# N free TCP ports on 127.0.0.1, on one line (the kernel picks them; they are released just before
# use, so another process could take one in between: a clear failure, not a wrong result).
free_ports() {
  node -e 'const net = require("net"); const n = Number(process.argv[1]); const ss = [];
    const next = () => { if (ss.length === n) { console.log(ss.map((s) => s.address().port).join(" ")); ss.forEach((s) => s.close()); return; }
      const s = net.createServer(); s.listen(0, "127.0.0.1", () => { ss.push(s); next(); }); };
    next();' "$1"
}
# The first log line (stdout or stderr) of a container whose message is MESSAGE.
log_line() { podman logs "$1" 2>&1 | grep -F "\"message\":\"$2\"" | head -1; }

# ------------------------------------------------------------------------------------ run 1
# The prod profile requires auth.mode to be chosen explicitly; these runs choose none (their peers
# carry no token).
# The image as shipped (its own config file, prod profile), hardened as production runs it: read
# only, nothing writable but a tmpfs at /tmp, only the origins set, ports on 127.0.0.1.
echo "== run 1: the image as shipped, --read-only with a tmpfs /tmp"
t=$SECONDS
C1="$NAME-shipped"
pm run -d --name "$C1" "${RUN_OPTS[@]}" \
  --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=64m \
  -p 127.0.0.1::8080 -p 127.0.0.1::9090 \
  -e SIGNALING_WEBSOCKET_ALLOWEDORIGINS="$ORIGIN" \
  -e SIGNALING_AUTH_MODE=none \
  -e JDK_JAVA_OPTIONS=-Xlog:class+load=info:file=/tmp/class-load.log \
  "$IMAGE" >/dev/null
PUBLIC="$(host_port "$C1" 8080)"
ADMIN="$(host_port "$C1" 9090)"
check "/health/ready answers 200 through the published public port" await_ready "$C1" "http://127.0.0.1:$PUBLIC/health/ready"
timed "run 1: start to ready" $((SECONDS - t))

loopback_only() { local out; out="$(pm port "$C1")"; echo "$out"; ! grep -v ' -> 127\.0\.0\.1:' <<<"$out"; }
check "both published ports are bound to 127.0.0.1 only" loopback_only
non_root() { pm exec "$C1" grep -E '^(Uid|Gid):' /proc/1/status | tee /dev/stderr | awk '{ for (i = 2; i <= NF; i++) if ($i != 10001) bad = 1 } END { exit bad }'; }
check "PID 1 runs with uid and gid 10001 (real, effective, saved, fs), not root" non_root
pid1_java() { pm exec "$C1" cat /proc/1/comm | tee /dev/stderr | grep -qx java; }
check "PID 1 is the JVM itself (exec-form entrypoint, no shell)" pid1_java
healthy() {
  pm healthcheck run "$C1" || return 1
  local status; status="$(podman inspect --format '{{.State.Health.Status}}' "$C1")"; echo "health: $status"
  [ "$status" = healthy ]
}
check "the image's HEALTHCHECK turns the container healthy (podman healthcheck run)" healthy
cds_mapped() { pm exec "$C1" grep -F 'io.signaling.app.Main source: shared objects file (top)' /tmp/class-load.log; }
check "the AppCDS archive is mapped (class-load log: app.Main from the top archive)" cds_mapped
read_only() { local out; out="$(pm exec --user 0 "$C1" touch /app/probe 2>&1)"; echo "$out"; grep -q 'Read-only file system' <<<"$out"; }
check "the root file system is read-only (root cannot write /app; the JVM wrote /tmp above)" read_only
metrics() { local body; body="$(curl -fsS "http://127.0.0.1:$ADMIN/metrics")" && grep -m1 '^jvm_threads_live_threads' <<<"$body"; }
check "the admin listener serves /metrics through its published port" metrics

# Two peers relayed by the container, then left connected: the stop must drain them.
node --experimental-websocket --no-warnings scripts/ws-peers.mjs \
  "ws://127.0.0.1:$PUBLIC/ws" "ws://127.0.0.1:$PUBLIC/ws" $((GRACE + 30)) >"$WORK/peers.out" 2>"$WORK/peers.err" &
PEERS=$!
relayed() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    if grep -q '"event":"relayed"' "$WORK/peers.out"; then cat "$WORK/peers.out"; return 0; fi
    kill -0 "$PEERS" 2>/dev/null || { cat "$WORK/peers.out" "$WORK/peers.err"; return 1; }
    sleep 0.2
  done
  echo "no relay within 30 s"; cat "$WORK/peers.out" "$WORK/peers.err"; return 1
}
check "two WebSocket peers relay an offer and an answer through the container" relayed

echo "== run 1: podman stop -t $GRACE (SIGTERM to PID 1)"
t=$SECONDS
pm stop -t "$GRACE" "$C1" >/dev/null
STOPPED_IN=$((SECONDS - t))
timed "run 1: stop (drain)" "$STOPPED_IN"
PEERS_STATUS=0
wait "$PEERS" || PEERS_STATUS=$?
exited_zero() {
  local code; code="$(podman inspect --format '{{.State.ExitCode}}' "$C1")"
  echo "exit code $code after ${STOPPED_IN}s"
  [ "$code" = 0 ] && [ "$STOPPED_IN" -lt "$GRACE" ]
}
check "it exits 0 within the ${GRACE}s grace period (not killed)" exited_zero
peers_drained() { cat "$WORK/peers.out" "$WORK/peers.err"; [ "$PEERS_STATUS" = 0 ]; }
check "the open WebSockets got goaway, then close 1001 (drained, not cut)" peers_drained
drain_logged() {
  local started stopped
  started="$(log_line "$C1" 'shutdown started: readiness is 503')"; stopped="$(log_line "$C1" stopped)"
  printf '%s\n%s\n' "$started" "$stopped"
  grep -q '"drain_timeout_ms":20000' <<<"$started" && grep -q '"clean":true' <<<"$stopped"
}
check "the log shows the drain (the image's 20s drain timeout) and a clean stop" drain_logged

# ------------------------------------------------------------------------------------ run 2
echo "== run 2: config from a mounted file and from -e variables"
t=$SECONDS
C2="$NAME-config"
# service.name only this file sets; server.port moves the public listener off the port the
# HEALTHCHECK probes (it follows SIGNALING_SERVER_PORT, not the file): the check's control.
{ cat docker/signaling.yaml; printf '\nservice:\n  name: check-image-file\n'; } | sed 's/^  port: 8080$/  port: 8081/' >"$WORK/signaling.yaml"
grep -q '^  port: 8081$' "$WORK/signaling.yaml" || die "docker/signaling.yaml no longer sets server.port 8080"
chmod 0644 "$WORK/signaling.yaml"
pm run -d --name "$C2" "${RUN_OPTS[@]}" \
  -p 127.0.0.1::9090 \
  -v "$WORK/signaling.yaml:/etc/signaling/signaling.yaml:ro" \
  -e SIGNALING_WEBSOCKET_ALLOWEDORIGINS="$ORIGIN" \
  -e SIGNALING_AUTH_MODE=none \
  -e SIGNALING_SERVICE_INSTANCEID="check-image-env-$RUN_ID" \
  -e SIGNALING_SHUTDOWN_DRAINTIMEOUT=3s \
  "$IMAGE" >/dev/null
ADMIN2="$(host_port "$C2" 9090)"
check "/health/ready answers 200 (admin port)" await_ready "$C2" "http://127.0.0.1:$ADMIN2/health/ready"
tagged() {
  local body line
  body="$(curl -fsS "http://127.0.0.1:$ADMIN2/metrics")" || return 1
  line="$(grep -m1 '^jvm_threads_live_threads{' <<<"$body")"; echo "$line"
  grep -F 'service="check-image-file"' <<<"$line" | grep -qF "instance=\"check-image-env-$RUN_ID\""
}
check "metrics carry service.name from the mounted file and service.instance-id from -e" tagged
unhealthy() { local out; out="$(pm healthcheck run "$C2" 2>&1)" && { echo "$out"; return 1; }; echo "$out"; }
check "control: HEALTHCHECK fails where nothing listens on its port (the file moved server.port)" unhealthy
pm stop -t "$GRACE" "$C2" >/dev/null
env_wins() { log_line "$C2" 'shutdown started: readiness is 503' | tee /dev/stderr | grep -q '"drain_timeout_ms":3000'; }
check "-e SIGNALING_SHUTDOWN_DRAINTIMEOUT=3s overrides the file's 20s" env_wins
timed "run 2: start, check, stop" $((SECONDS - t))

# ------------------------------------------------------------------------------------ run 3
echo "== run 3: a bad config (a mounted file with a typo, a bad -e value)"
t=$SECONDS
C3="$NAME-bad"
{ cat docker/signaling.yaml; printf '\nwebsocket:\n  idle-timout: 5s\n'; } >"$WORK/bad.yaml"
chmod 0644 "$WORK/bad.yaml"
pm run -d --name "$C3" "${RUN_OPTS[@]}" \
  -v "$WORK/bad.yaml:/etc/signaling/signaling.yaml:ro" \
  -e SIGNALING_WEBSOCKET_ALLOWEDORIGINS="$ORIGIN" \
  -e SIGNALING_SERVER_PORT=70000 \
  "$IMAGE" >/dev/null
BAD_EXIT="$(timeout 60 podman wait "$C3" || echo "none within 60 s")"
exits_two() { echo "exit code $BAD_EXIT"; [ "$BAD_EXIT" = 2 ]; }
check "it exits 2" exits_two
problems_logged() {
  local logs; logs="$(podman logs "$C3" 2>&1)"; echo "$logs"
  grep -qF 'server.port = 70000 (env SIGNALING_SERVER_PORT)' <<<"$logs" \
    && grep -qF 'websocket.idle-timout = 5s (file /etc/signaling/signaling.yaml): unknown key; did you mean' <<<"$logs"
}
check "podman logs names both problems" problems_logged
timed "run 3: bad config" $((SECONDS - t))

# ------------------------------------------------------------------------------------ run 4
# Two containers of the image as one cluster: a redis-server child of this script on a free
# loopback port, both containers on the host's network (so 127.0.0.1 is the host's loopback for
# both, and each listens on its own free loopback ports), peer a on node 1 and peer b on node 2.
echo "== run 4: a cluster of two containers sharing a host redis-server"
t=$SECONDS
read -r REDIS_PORT N1_PUBLIC N1_ADMIN N2_PUBLIC N2_ADMIN < <(free_ports 5)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
  --logfile "$WORK/redis.log" --dir "$WORK" >/dev/null 2>&1 &
REDIS_PID=$!
redis_up() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then echo "redis-server $REDIS_PID on 127.0.0.1:$REDIS_PORT: PONG"; return 0; fi
    kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server exited:"; tail -5 "$WORK/redis.log"; return 1; }
    sleep 0.1
  done
  echo "redis-server did not answer within 30 s"; return 1
}
check "a redis-server answers on 127.0.0.1:$REDIS_PORT" redis_up
node_run() { # name, public port, admin port
  pm run -d --name "$1" "${RUN_OPTS[@]}" --network host \
    -e SIGNALING_SERVER_HOST=127.0.0.1 -e SIGNALING_SERVER_PORT="$2" \
    -e SIGNALING_ADMIN_HOST=127.0.0.1 -e SIGNALING_ADMIN_PORT="$3" \
    -e SIGNALING_WEBSOCKET_ALLOWEDORIGINS="$ORIGIN" \
    -e SIGNALING_AUTH_MODE=none \
    -e SIGNALING_SERVICE_INSTANCEID="$1" \
    -e SIGNALING_REDIS_ENABLED=true \
    -e SIGNALING_REDIS_URI="redis://127.0.0.1:$REDIS_PORT" \
    -e SIGNALING_REDIS_KEYPREFIX="check-image-$RUN_ID" \
    -e SIGNALING_SHUTDOWN_DRAINTIMEOUT=3s \
    "$IMAGE" >/dev/null
}
N1="$NAME-node1"
N2="$NAME-node2"
node_run "$N1" "$N1_PUBLIC" "$N1_ADMIN"
node_run "$N2" "$N2_PUBLIC" "$N2_ADMIN"
# Ready, and the readiness body reports the redis check UP (ready without it would mean the
# node is not in the cluster).
redis_ready() {
  local container="$1" url="$2" body
  await_ready "$container" "$url" || return 1
  body="$(curl -fsS --max-time 5 "$url")" || return 1
  echo "$body"
  node -e 'const b = JSON.parse(process.argv[1]);
    const r = (b.checks || []).find((c) => c.name === "redis");
    process.exit(b.status === "UP" && r && r.status === "UP" ? 0 : 1);' "$body"
}
check "node 1 is ready (/health/ready 200) with its redis check UP" redis_ready "$N1" "http://127.0.0.1:$N1_ADMIN/health/ready"
check "node 2 is ready (/health/ready 200) with its redis check UP" redis_ready "$N2" "http://127.0.0.1:$N2_ADMIN/health/ready"
timed "run 4: start to ready (2 nodes)" $((SECONDS - t))

node --experimental-websocket --no-warnings scripts/ws-peers.mjs \
  "ws://127.0.0.1:$N1_PUBLIC/ws" "ws://127.0.0.1:$N2_PUBLIC/ws" $((2 * GRACE + 30)) >"$WORK/peers4.out" 2>"$WORK/peers4.err" &
PEERS=$!
relayed_across() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    if grep -q '"event":"relayed"' "$WORK/peers4.out"; then cat "$WORK/peers4.out"; return 0; fi
    kill -0 "$PEERS" 2>/dev/null || { cat "$WORK/peers4.out" "$WORK/peers4.err"; return 1; }
    sleep 0.2
  done
  echo "no relay within 30 s"; cat "$WORK/peers4.out" "$WORK/peers4.err"; return 1
}
check "peer a on node 1 and peer b on node 2 see each other and relay an offer and an answer" relayed_across
t_stop=$SECONDS
pm stop -t "$GRACE" "$N1" >/dev/null
pm stop -t "$GRACE" "$N2" >/dev/null
timed "run 4: stop both (drain)" $((SECONDS - t_stop))
PEERS4_STATUS=0
wait "$PEERS" || PEERS4_STATUS=$?
PEERS=
both_zero() {
  local c1 c2; c1="$(podman inspect --format '{{.State.ExitCode}}' "$N1")"; c2="$(podman inspect --format '{{.State.ExitCode}}' "$N2")"
  echo "node 1 exit code $c1, node 2 exit code $c2"; [ "$c1" = 0 ] && [ "$c2" = 0 ]
}
check "podman stop: both nodes exit 0" both_zero
cluster_drained() { cat "$WORK/peers4.out" "$WORK/peers4.err"; [ "$PEERS4_STATUS" = 0 ]; }
check "both peers got goaway, then close 1001, from their own node" cluster_drained
# Node 1 stopped first: peer b, on node 2, must have learnt through Redis that peer a left.
left_across() { grep '"peer":"b"' "$WORK/peers4.out" | grep -F '"peerLeft":"shutdown"'; }
check "peer b on node 2 got peer-left (shutdown) when node 1 drained peer a" left_across
# An orderly exit is not a crash: each node released its lease and deleted its inbox and
# index, and the drained peers left their room (docs/cluster.md); only the epoch stays.
released() {
  local keys; keys="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern "check-image-$RUN_ID:*" | sort)" || return 1
  echo "keys left: ${keys//$'\n'/ }"
  [ "$keys" = "check-image-$RUN_ID:epoch" ]
}
check "after both stops Redis holds no lease, inbox, index or room of theirs (only the epoch)" released
kill "$REDIS_PID" 2>/dev/null || true
wait "$REDIS_PID" 2>/dev/null || true
REDIS_PID=
timed "run 4: cluster (all)" $((SECONDS - t))

# ------------------------------------------------------------------------------------ report
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
base_size="$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")"
echo
echo "== image size: $(mib "$size") ($(mib "$base_size") base + $(mib $((size - base_size))) jar, AppCDS archive, user)"
echo "== time"
printf '   %s\n' "${TIMES[@]}"
echo "   total                        $((SECONDS - T0))s"
if [ "$failed" -gt 0 ]; then printf 'failed: %s\n' "${failures[@]}"; fi
echo "image-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
