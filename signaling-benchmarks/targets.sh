# shellcheck shell=bash
# Sourced by run-interleaved.sh and run-setup.sh: the servers they can measure, the check of each
# one's jar or directory, and how each is started. Not a script of its own.
#
# Targets: app (APP_JAR as built: the native adapter by default, JSR with -Dws.adapter=jsr), app0
# (the same with tracing.sampling-ratio=0), native (APP_NATIVE_JAR), prev (PREV_APP_JAR, another
# build of the app such as the commit before a change), bare (BARE_JAR), node (the Node.js `ws`
# reference relay in NODE_RELAY_DIR, with its node_modules).
#
# The caller sets here (signaling-benchmarks) and root (the repository) before sourcing, defines
# die() and sets server_pin (array, may be empty) before starting a target. The environment below
# is read here once for both scripts (defaults in their headers).

APP_JAR="${APP_JAR:-$root/signaling-app/target/signaling-app-0.1.0-SNAPSHOT-all.jar}"
APP_NATIVE_JAR="${APP_NATIVE_JAR:-}"
PREV_APP_JAR="${PREV_APP_JAR:-}"
BARE_JAR="${BARE_JAR:-$here/target/bare-undertow.jar}"
LOAD_JAR="${LOAD_JAR:-$here/target/signaling-load.jar}"
NODE_RELAY_DIR="${NODE_RELAY_DIR:-$root/../shared/perf/node-reference-relay}"
APP_ARGS="${APP_ARGS---rate-limit.messages-per-second=1000000 --rate-limit.burst=1000000}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"

# Dies with what to do unless target $1 is known and can be started.
check_target() {
  case "$1" in
    app|app0) [[ -f "$APP_JAR" ]] || die "app jar not found: $APP_JAR (run ./mvnw -B -ntp package -DskipTests)" ;;
    native) [[ -n "$APP_NATIVE_JAR" && -f "$APP_NATIVE_JAR" ]] || die "native app jar not found: '$APP_NATIVE_JAR' (build with -Dws.adapter=native, set APP_NATIVE_JAR)" ;;
    prev) [[ -n "$PREV_APP_JAR" && -f "$PREV_APP_JAR" ]] || die "previous app jar not found: '$PREV_APP_JAR' (set PREV_APP_JAR)" ;;
    bare) [[ -f "$BARE_JAR" ]] || die "bare jar not found: $BARE_JAR (run ./mvnw -B -ntp package -DskipTests)" ;;
    node) command -v node >/dev/null || die "node not on PATH (apt-get install nodejs)"
      [[ -f "$NODE_RELAY_DIR/reference-relay.mjs" && -d "$NODE_RELAY_DIR/node_modules/ws" ]] \
        || die "no reference relay with its node_modules in '$NODE_RELAY_DIR' (copy ../shared/perf/node-reference-relay somewhere writable, npm ci there, set NODE_RELAY_DIR)" ;;
    *) die "unknown target '$1' in TARGETS (expected app, app0, native, prev, bare and/or node)" ;;
  esac
}

# Starts target $1 on port $2, its output to file $3, and waits until it serves; sets target_pid to
# the server's own process (taskset and the node subshell exec). Dies if it exits or is not ready
# within 60 s.
start_target() {
  local t="$1" p="$2" logf="$3" jar extra=() i
  # shellcheck disable=SC2154  # server_pin is the caller's (see the top)
  # shellcheck disable=SC2086  # SERVER_JAVA_OPTS and APP_ARGS are word lists
  case "$t" in
    app|app0|native|prev) jar="$APP_JAR"; [[ "$t" == native ]] && jar="$APP_NATIVE_JAR"
      [[ "$t" == prev ]] && jar="$PREV_APP_JAR"
      [[ "$t" == app0 ]] && extra=(--tracing.sampling-ratio=0)
      "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$jar" --server.port="$p" --admin.port="$(free_port)" \
        $APP_ARGS "${extra[@]}" >"$logf" 2>&1 & ;;
    bare) "${server_pin[@]}" java $SERVER_JAVA_OPTS -jar "$BARE_JAR" --server.port="$p" >"$logf" 2>&1 & ;;
    node) (cd "$NODE_RELAY_DIR" && PORT="$p" RATE_PER_SEC=1000000 RATE_BURST=1000000 \
        exec "${server_pin[@]}" node reference-relay.mjs) >"$logf" 2>&1 & ;;
  esac
  target_pid=$!
  for i in $(seq 1 600); do
    if [[ "$t" == node ]]; then grep -q '^listening' "$logf" && return 0
    else curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$p/health/ready" && return 0; fi
    kill -0 "$target_pid" 2>/dev/null || die "$t exited at start (see $logf)"
    (( i < 600 )) && sleep 0.1
  done
  kill "$target_pid" 2>/dev/null || true # not yet in the caller's list of servers to stop
  die "$t not ready within 60 s (see $logf)"
}

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json_num() { grep -o "\"$2\":-\{0,1\}[0-9.]*" <<<"$1" | head -1 | cut -d: -f2; }
