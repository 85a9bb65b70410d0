#!/bin/sh
# Run by the build (exec-maven-plugin, generate-resources): prints the commit the jar is built
# from, with "-dirty" when tracked files differ from it, or "unknown" outside a git checkout or
# without git. BuildInfo reads it from git-commit.txt; -Dgit.commit=... (the image build, whose
# context has no .git) takes precedence.
cd "$1" 2>/dev/null || { echo unknown; exit 0; }
commit=$(git rev-parse HEAD 2>/dev/null) || { echo unknown; exit 0; }
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
echo "$commit"
