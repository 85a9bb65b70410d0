#!/usr/bin/env bash
# The library as a consumer gets it: installs every module into a PRIVATE local repository
# (target/installed-repo, never ~/.m2, which other checkouts share) and builds
# examples/embedding-host — docs/embedding.md's dependency block and host, copied from the guide —
# against the installed artifacts through the BOM, from its own POM, outside the reactor; its test
# runs the host (HTTP route, readiness, a WebSocket join). Then checks what a public repository
# needs of each published module: jar, sources jar, javadoc jar, and the POM metadata.
#
# Runs after `./mvnw verify` in .ci/run (a separate step because the reactor's verify never reaches
# the install phase; inside a test it would be Maven inside Maven, building the reactor twice).
# ~/.m2 is only read (maven.repo.local.tail), so nothing is downloaded twice and nothing is
# written there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
repo="$root/target/installed-repo"
tail_repo="${MAVEN_REPO_TAIL:-$HOME/.m2/repository}"
rm -rf "$repo" "$root/examples/embedding-host/target"
mkdir -p "$repo"
mvn_private=(-B -ntp "-Dmaven.repo.local=$repo" "-Dmaven.repo.local.tail=$tail_repo")

echo "== install into $repo"
./mvnw "${mvn_private[@]}" -q install -DskipTests -pl '!signaling-benchmarks'

echo "== examples/embedding-host against the installed artifacts"
src="$root/examples/embedding-host/target/doc-sources"
mkdir -p "$src"
# The guide's ```java block under "## A complete host", as a reader would copy it.
awk '/^## A complete host$/ { in_section = 1; next }
     in_section && /^## / { exit }
     in_section && /^```java$/ { in_code = 1; next }
     in_code && /^```$/ { exit }
     in_code { print }' docs/embedding.md > "$src/ExampleHost.java"
[ -s "$src/ExampleHost.java" ] || { echo "no java block under '## A complete host' in docs/embedding.md" >&2; exit 1; }
./mvnw "${mvn_private[@]}" -f examples/embedding-host/pom.xml verify

echo "== published artifacts"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
problems=0
# Every module the BOM manages (not the BOM itself, a POM without jars).
modules=$(sed -n 's:.*<artifactId>\(signaling-[a-z-]*\)</artifactId>.*:\1:p' signaling-bom/pom.xml | grep -vx signaling-bom | sort -u)
for module in $modules; do
  dir="$repo/io/signaling/$module/$version"
  for file in "$module-$version.jar" "$module-$version-sources.jar" "$module-$version-javadoc.jar" "$module-$version.pom"; do
    [ -s "$dir/$file" ] || { echo "missing: $dir/$file" >&2; problems=$((problems + 1)); }
  done
done
# Modules inherit the metadata from the parent POM; the BOM carries its own.
for pom in "$repo/io/signaling/signaling-parent/$version/signaling-parent-$version.pom" \
           "$repo/io/signaling/signaling-bom/$version/signaling-bom-$version.pom"; do
  for element in '<name>' '<description>' '<url>' '<licenses>' '<scm' '<developers>'; do
    grep -q "$element" "$pom" || { echo "$pom has no $element" >&2; problems=$((problems + 1)); }
  done
done
# Reproducible: every entry of every installed library jar carries the one
# project.build.outputTimestamp. (The app's shaded -all jar keeps its dependencies' entry times.)
for jar in "$repo"/io/signaling/*/"$version"/*.jar; do
  [[ "$jar" == *-all.jar ]] && continue
  stamps=$(TZ=UTC jar tvf "$jar" | awk '{ print $2, $3, $4, $5, $7 }' | sort -u | wc -l)
  [ "$stamps" -le 1 ] || { echo "$jar: entries with $stamps different timestamps (not reproducible)" >&2; problems=$((problems + 1)); }
done
if [ "$problems" -gt 0 ]; then
  echo "check-installed-artifacts: $problems problem(s)" >&2
  exit 1
fi
echo "check-installed-artifacts: $(echo "$modules" | wc -w) modules installed with sources, javadoc and metadata; the guide's host builds and runs against them"
