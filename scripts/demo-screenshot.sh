#!/usr/bin/env bash
# The demo page's screenshot in README.md (docs/images/demo-call.png): two real headless Chromium
# pages in a call through a real node — DemoPageBrowserTest, which saves each page's screenshot
# during the call — then the first page's picture copied into the docs. Needs what that test needs
# (chromium, node/npm, root for `unshare --net`; README "The two commands").
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -pl signaling-app -am verify -Dmaven.javadoc.skip -Dmaven.source.skip \
  -Dtest='DemoPageBrowserTest#twoTabsOpeningTheRoomLinkHoldACall' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false
latest=$(ls -td signaling-app/target/browser-test/browser-*/ | head -1)
[ -s "$latest/alice-call.png" ] || { echo "no screenshot in $latest (did the test skip? scripts/skipped-tests.sh)" >&2; exit 1; }
mkdir -p docs/images
cp "$latest/alice-call.png" docs/images/demo-call.png
echo "docs/images/demo-call.png from $latest"
