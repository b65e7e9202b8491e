#!/bin/sh
# Installs the other tools the benchmarks run side by side with migrate (dbmate, the fastest peer
# runner, and squawk, the PostgreSQL migration linter, as squawk-cli; both from the npm registry,
# pinned in bench/npm/package.json) into BUILD_DIR/bench-npm, for `make bench-deps`. `make test`
# never needs it. Idempotent.
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
exec "$source_dir/scripts/install-npm-tools.sh" "$source_dir/bench/npm" \
  "${1:?usage: install-bench-peers.sh BUILD_DIR}/bench-npm" squawk "the benchmarks' peer tools"
