#!/bin/sh
# Run by the build before signaling-app's tests (exec-maven-plugin, phase process-test-resources):
# installs the browser test's driver (playwright-core, pinned by package-lock.json; it never
# downloads a browser) where npm exists. Where it does not, the build goes on and
# DemoPageBrowserTest skips with one line saying what to install — or fails under CI=true.
# Skips the install when node_modules already holds exactly this package-lock.json.
cd "$(dirname "$0")" || exit 1
if ! command -v npm >/dev/null 2>&1; then
  echo "browser test driver: npm is not installed, not running npm ci (DemoPageBrowserTest will say what it needs)"
  exit 0
fi
if [ -f node_modules/.signaling-lock ] && cmp -s package-lock.json node_modules/.signaling-lock; then
  echo "browser test driver: node_modules is up to date with package-lock.json"
  exit 0
fi
echo "browser test driver: npm ci in $(pwd)"
if npm ci --no-audit --no-fund --loglevel=error; then
  cp package-lock.json node_modules/.signaling-lock
  exit 0
fi
if [ "$CI" = "true" ]; then
  echo "browser test driver: npm ci failed (CI=true: failing the build)" >&2
  exit 1
fi
echo "browser test driver: npm ci failed (offline?); the browser test will be skipped" >&2
exit 0
