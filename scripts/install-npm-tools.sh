#!/bin/sh
# Installs the npm packages pinned in PACKAGE_DIR/package.json (hashes in its package-lock.json)
# into TARGET_DIR, for the other tools migrate's tests and benchmarks run beside it. Idempotent:
# when BIN is installed from the same package.json, it does nothing and prints nothing.
#
#   scripts/install-npm-tools.sh PACKAGE_DIR TARGET_DIR BIN WHAT
#
# (WHAT names them in the one line it prints: "the tests' peer tools".)
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
packages=${1:?usage: install-npm-tools.sh PACKAGE_DIR TARGET_DIR BIN WHAT}
target=${2:?usage: install-npm-tools.sh PACKAGE_DIR TARGET_DIR BIN WHAT}
bin=${3:?usage: install-npm-tools.sh PACKAGE_DIR TARGET_DIR BIN WHAT}
what=${4:?usage: install-npm-tools.sh PACKAGE_DIR TARGET_DIR BIN WHAT}

if [ -x "$target/node_modules/.bin/$bin" ] &&
   cmp -s "$packages/package.json" "$target/package.json"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || "$source_dir/scripts/install-deps.sh" nodejs npm
echo "migrate: installing $what from the npm registry into $target"
mkdir -p "$target"
cp "$packages/package.json" "$packages/package-lock.json" "$target/"
cd "$target"
# `install`, not `ci`: npm leaves the other platforms' optional builds (dbmate's, squawk's) out
# of the lock file, and `ci` then refuses it. The versions are pinned in package.json, the
# hashes in the lock.
npm install --no-audit --no-fund --loglevel=error
