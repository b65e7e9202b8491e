#!/bin/sh
# Installs the other migration tools that the tests run side by side with migrate (dbmate, from
# the npm registry, pinned in tests/npm/package.json) into BUILD_DIR/npm. Idempotent: when
# they are installed as locked, it does nothing and prints nothing.
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
exec "$source_dir/scripts/install-npm-tools.sh" "$source_dir/tests/npm" \
  "${1:?usage: install-test-peers.sh BUILD_DIR}/npm" dbmate "the tests' peer tools"
