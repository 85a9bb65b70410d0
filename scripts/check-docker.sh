#!/usr/bin/env bash
# Checks everything about the container image and the Compose dev stack that can be checked
# without a Docker engine. Runs every check, reports each, exits non-zero if any failed.
#
#   scripts/check-docker.sh          check
#   scripts/check-docker.sh --fix    also regenerate docker/grafana/dashboard-metrics.txt
#
# Needs (CI installs them once): promtool (Debian package `prometheus`), haproxy, Node.js >= 20.19 with
# npm, python3. The npm tools (dclint, dockerfilelint, dockerfile-utils) are pinned in
# docker/lint/package-lock.json and installed locally under docker/lint/node_modules by `npm ci`.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
LINT="$ROOT/docker/lint"
BIN="$LINT/node_modules/.bin"
DASHBOARD=docker/grafana/dashboards/signaling.json
METRICS=docker/grafana/dashboard-metrics.txt

FIX=false
case "${1:-}" in
  "") ;;
  --fix) FIX=true ;;
  *) echo "usage: $0 [--fix]" >&2; exit 2 ;;
esac

passed=0
failed=0
failures=()

# Runs one named check, shows its output indented, and records the outcome without stopping.
check() {
  local name="$1"; shift
  echo "== $name"
  local out status=0
  out="$("$@" 2>&1)" || status=$?
  if [ -n "$out" ]; then printf '%s\n' "$out" | sed 's/^/   /'; fi
  if [ "$status" -eq 0 ]; then
    echo "   PASS $name"
    passed=$((passed + 1))
  else
    echo "   FAIL $name (exit $status)"
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "missing tool: $1 ($2)" >&2
    exit 1
  fi
}

echo "== tools"
need promtool "apt-get install -y --no-install-recommends prometheus"
need node "Node.js >= 20.19"
need npm "npm, shipped with Node.js"
need python3 "python3"
need haproxy "apt-get install -y --no-install-recommends haproxy"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js $(node --version) is too old: dclint 3.1.0 needs >= 20.19" >&2
  exit 1
fi
echo "   $(promtool --version 2>&1 | head -1)"
echo "   node $(node --version), npm $(npm --version), $(python3 --version)"

# npm ci is idempotent: it reinstalls exactly the lock file, so a stale or tampered
# node_modules cannot make a check pass.
echo "== install pinned npm tools (docker/lint)"
npm ci --prefix "$LINT" --no-audit --no-fund --loglevel=error >/dev/null
echo "   dclint $("$BIN/dclint" --version), dockerfilelint $(node -p 'require(process.argv[1]).version' "$LINT/node_modules/dockerfilelint/package.json"), dockerfile-utils $(node -p 'require(process.argv[1]).version' "$LINT/node_modules/dockerfile-utils/package.json")"

check "promtool check config docker/prometheus/prometheus.yml" \
  promtool check config docker/prometheus/prometheus.yml

# The load balancer's configuration, with Debian's haproxy (the stack's image runs the same
# version). The nodes' names resolve only inside Compose: those warnings are expected.
check "haproxy -c docker/haproxy/haproxy.cfg" \
  haproxy -c -f docker/haproxy/haproxy.cfg

# Schema validation against the Compose spec plus dclint's rules; warnings count as failures.
check "dclint docker-compose.yml (Compose spec + rules)" \
  "$BIN/dclint" --max-warnings 0 --color false docker-compose.yml

# docker/lint/.dockerfilelintrc: dockerfilelint 1.8 reads `FROM ${RUNTIME_IMAGE}` as an untagged
# image; check-consistency.mjs checks pinned tags instead, with the build arguments' defaults.
check "dockerfilelint docker/Dockerfile" \
  "$BIN/dockerfilelint" -c "$LINT" docker/Dockerfile

# dockerfile-utils (the VS Code Docker language service's validator) knows current syntax:
# BuildKit mounts, --chmod, parser directives, which dockerfilelint predates.
check "dockerfile-utils lint docker/Dockerfile" \
  "$BIN/dockerfile-utils" lint docker/Dockerfile

json_parses() {
  local f rc=0
  while IFS= read -r -d '' f; do
    if python3 -m json.tool "$f" >/dev/null; then echo "$f"; else rc=1; fi
  done < <(find docker/grafana -name '*.json' -print0 | sort -z)
  return "$rc"
}
check "every JSON under docker/grafana parses" json_parses

if [ "$FIX" = true ]; then
  check "regenerate $METRICS" node "$LINT/dashboard-metrics.mjs" "$DASHBOARD" --write "$METRICS"
fi
# Every PromQL expression must name at least one metric, and the committed list must be current:
# a Java test compares that list with a live scrape of the server.
check "dashboard metric names ($METRICS up to date)" \
  node "$LINT/dashboard-metrics.mjs" "$DASHBOARD" --check "$METRICS"

check "cross-file consistency (Dockerfile vs entrypoint-command.txt, Compose, Prometheus, Grafana)" \
  node "$LINT/check-consistency.mjs" "$ROOT"

check "unit tests of the checks (node --test docker/lint/test)" \
  node --test --test-reporter=spec "$LINT/test/"

echo
echo "== metric names the dashboard queries ($METRICS)"
grep -v '^#' "$METRICS" | cut -f1 | sed 's/^/   /'
echo
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "docker-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
