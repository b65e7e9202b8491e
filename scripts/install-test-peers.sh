#!/bin/sh
# Installs the other migration tools that the tests run side by side with migrate (dbmate, from
# the npm registry, pinned in tests/npm/package.json) into BUILD_DIR/npm. Idempotent: when
# they are installed as locked, it does nothing and prints nothing.
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: install-test-peers.sh BUILD_DIR}/npm

if [ -x "$target/node_modules/.bin/dbmate" ] &&
   cmp -s "$source_dir/tests/npm/package.json" "$target/package.json"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || "$source_dir/scripts/install-deps.sh" nodejs npm
echo "migrate: installing the tests' peer tools from the npm registry into $target"
mkdir -p "$target"
cp "$source_dir/tests/npm/package.json" "$source_dir/tests/npm/package-lock.json" "$target/"
cd "$target"
# `install`, not `ci`: npm leaves the other platforms' optional builds of dbmate out of the lock
# file, and `ci` then refuses it. The versions are pinned in package.json, the hashes in the lock.
npm install --no-audit --no-fund --loglevel=error
