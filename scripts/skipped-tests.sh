#!/usr/bin/env bash
# Lists every test the last build skipped, with its reason — for a test that needs a program the
# machine lacks, the one line saying what to install (RequiredPrograms). Surefire prints only the
# counts; the reasons are in the reports this reads.
#
#   scripts/skipped-tests.sh          list them (exit 0)
#   scripts/skipped-tests.sh --fail   list them and exit 1 if there is any (.ci/run): under CI=true a
#                                     missing program fails its test instead, and the contract kits
#                                     generate no test that does not apply, so a skip in CI is a test
#                                     that silently stopped testing.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=false
[ "${1:-}" = "--fail" ] && fail=true
shopt -s nullglob
reports=(*/target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "skipped-tests: no test reports under */target; run the build first" >&2
  exit 1
fi
skipped=$(awk '
  /<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7);
                 match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
  /<skipped/   { msg = $0
                 if (match(msg, /message="[^"]*"/)) msg = substr(msg, RSTART + 9, RLENGTH - 10)
                 else { sub(/.*CDATA\[/, "", msg); sub(/^[A-Za-z0-9_.]*Exception: /, "", msg); sub(/]]>.*/, "", msg) }
                 print cls "." name ": " msg }
' "${reports[@]}")
if [ -z "$skipped" ]; then
  echo "skipped-tests: no skipped test in ${#reports[@]} report files"
  exit 0
fi
echo "skipped-tests: skipped in the last build:"
echo "$skipped"
if [ "$fail" = true ]; then
  echo "skipped-tests: a CI build must not skip tests" >&2
  exit 1
fi
