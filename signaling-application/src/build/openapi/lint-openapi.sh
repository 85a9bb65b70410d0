#!/bin/sh
# Run by the build (signaling-application, phase process-classes): lints the room management API's
# OpenAPI 3.1 document with @redocly/cli (pinned by package-lock.json; installed here with npm ci,
# skipped when node_modules already holds exactly this lock). Any finding fails the build. Where npm
# does not exist the lint is skipped with one line, except under CI=true, where that fails.
set -u
cd "$(dirname "$0")" || exit 1
doc="$1"
if ! command -v npm >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "openapi lint: npm is not installed (CI=true: failing the build; apt-get install nodejs npm)" >&2
    exit 1
  fi
  echo "openapi lint: npm is not installed, skipping the lint of $doc (apt-get install nodejs npm)"
  exit 0
fi
if ! { [ -f node_modules/.signaling-lock ] && cmp -s package-lock.json node_modules/.signaling-lock; }; then
  echo "openapi lint: npm ci in $(pwd)"
  if npm ci --no-audit --no-fund --loglevel=error; then
    cp package-lock.json node_modules/.signaling-lock
  elif [ "${CI:-}" = "true" ]; then
    echo "openapi lint: npm ci failed (CI=true: failing the build)" >&2
    exit 1
  else
    echo "openapi lint: npm ci failed (offline?); skipping the lint" >&2
    exit 0
  fi
fi
# No update notices or telemetry: the lint makes no network call beyond the install.
out="${TMPDIR:-/tmp}/openapi-lint.$$"
NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npx --no-install redocly lint "$doc" --config redocly.yaml >"$out" 2>&1
status=$?
grep -v '[║╔╚]' "$out"
rm -f "$out"
if [ $status -ne 0 ]; then
  echo "openapi lint: $doc has findings (above); fix the document" >&2
  exit 1
fi
echo "openapi lint: $doc is valid"
