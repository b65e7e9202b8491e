#!/bin/sh
# clang-format the C++ files changed since main (ccache and ninja format only what they touch),
# or every C++ file with the argument "all".
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "all" ]; then
  files=$(git ls-files '*.cpp' '*.hpp')
else
  base=$(git merge-base HEAD main 2>/dev/null || git rev-list --max-parents=0 HEAD | tail -n 1)
  files=$( { git diff --name-only --diff-filter=AM "$base" -- '*.cpp' '*.hpp'; \
             git ls-files --others --exclude-standard -- '*.cpp' '*.hpp'; } | sort -u)
fi
[ -n "$files" ] && clang-format -i $files
exit 0
