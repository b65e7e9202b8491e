#!/bin/bash
# The layering check can fail: scripts/check-layering.sh run on small trees beside the real
# ARCHITECTURE.md (so its real table is what is read), each with includes the table forbids,
# and on a clean one. Registered in tests/CMakeLists.txt; prints what differed, exits 1 if any.
#
#   tests/scripts/check_layering_test.sh REPOSITORY_ROOT
set -u

repo=$(cd "${1:?give the repository root}" && pwd)
check="$repo/scripts/check-layering.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
case_no=0
fence='```'

# A new tree in $tree: the real ARCHITECTURE.md, and a src/ whose includes the table allows.
new_tree() {
  case_no=$((case_no + 1))
  tree="$work/$case_no"
  mkdir -p "$tree"
  cp "$repo/ARCHITECTURE.md" "$tree/"
  add src/util/text.hpp '#pragma once'
  add src/migration/migration.hpp '#include "util/text.hpp"'
  add src/graph/revision_graph.hpp '#include "migration/migration.hpp"' '#include "util/text.hpp"'
  add src/state/applied_migration.hpp '#include "migration/migration.hpp"'
  add src/state/state_table.hpp '#include "db/connection.hpp"'
  add src/db/connection.hpp '#include "util/text.hpp"'
  add src/db/sqlite/sqlite_connection.hpp '#include "db/connection.hpp"'
  add src/db/postgres/postgres_connection.hpp '#include "db/connection.hpp"'
  # The engine registry: the one db/ file that may name the engines.
  add src/db/engine_registry.cpp '#include "db/postgres/postgres_connection.hpp"' \
    '  #  include "db/sqlite/sqlite_connection.hpp"'
  # The schema readers: a file of db/ that names the engines too, and its header.
  add src/db/schema_readers.hpp '#pragma once'
  add src/db/schema_readers.cpp '#include "db/schema_readers.hpp"' '#include "db/sqlite/sqlite_connection.hpp"'
  # The statement trace: SQLite's authorizer, named by a row of its own.
  add src/db/statement_trace.cpp '#include "db/sqlite/sqlite_connection.hpp"'
  # The rows, not the database; a header of its own folder; no folder; a third-party header.
  add src/plan/planner.cpp '#include "plan/planner.hpp"' '#include "state/applied_migration.hpp"' \
    '#include "graph/revision_graph.hpp"' '#include "generated.hpp"' '#include "nlohmann/json.hpp"'
  add src/plan/planner.hpp '#pragma once'
  add src/output/json_output.cpp '#include "plan/planner.hpp"' '// #include "web/web_server.hpp"'
  add src/web/web_server.cpp '#include "output/json_output.hpp"'
  add src/hooks/hook_scripts.cpp.in '#include "util/text.hpp"'
  # Only src/ is checked.
  add tools/migrate-web.cpp '#include "web/web_server.hpp"' '#include "db/sqlite/sqlite_connection.hpp"'
  add tests/util/text_test.cpp '#include "web/web_server.hpp"'
}

# add FILE LINE…: writes the lines into $tree/FILE.
add() {
  local file="$tree/$1"
  shift
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$@" >>"$file"
}

# expect NAME EXIT_CODE EXPECTED_OUTPUT: runs the check on $tree (stdout and stderr together).
expect() {
  local output code
  output=$("$check" "$tree" 2>&1)
  code=$?
  if [ "$code" != "$2" ] || [ "$output" != "$3" ]; then
    printf 'FAILED: %s\n  expected exit %s and:\n%s\n  got exit %s and:\n%s\n' \
      "$1" "$2" "$3" "$code" "$output"
    failures=$((failures + 1))
  fi
}

new_tree
expect "a clean tree passes quietly" 0 ""

new_tree
add src/util/text.cpp '#include "util/text.hpp"' '' '#include "graph/revision_graph.hpp"'
expect "an upward include fails" 1 \
  "src/util/text.cpp:3: includes graph/revision_graph.hpp: util may not include graph (ARCHITECTURE.md, Layering)"

new_tree
add src/output/json_output.hpp '#include "web/web_server.hpp"'
add src/db/connection.hpp '#include "db/sqlite/sqlite_connection.hpp"'
add src/plan/planner.hpp '#include "state/state_table.hpp"'
add src/db/sqlite/sqlite_connection.hpp '#include "db/postgres/postgres_connection.hpp"'
add src/hooks/hook_scripts.cpp.in '#include "plan/planner.hpp"'
expect "every violation is listed, in path order" 1 \
  "src/db/connection.hpp:2: includes db/sqlite/sqlite_connection.hpp: db may not include db/sqlite (ARCHITECTURE.md, Layering)
src/db/sqlite/sqlite_connection.hpp:2: includes db/postgres/postgres_connection.hpp: db/sqlite may not include db/postgres (ARCHITECTURE.md, Layering)
src/hooks/hook_scripts.cpp.in:2: includes plan/planner.hpp: hooks may not include plan (ARCHITECTURE.md, Layering)
src/output/json_output.hpp:1: includes web/web_server.hpp: output may not include web (ARCHITECTURE.md, Layering)
src/plan/planner.hpp:2: includes state/state_table.hpp: plan may not include state (ARCHITECTURE.md, Layering)"

new_tree
add src/db/dialect.cpp '#include "sqlite/sqlite_connection.hpp"' '#include "../web/web_server.hpp"' \
  '#include <commands/squash.hpp>' '#include <sqlite3.h>' '#include "./connection.hpp"'
add src/commands/squash.hpp '#pragma once'
expect "includes found beside the file, through .., or in <> are checked as the compiler finds them" 1 \
  "src/db/dialect.cpp:1: includes db/sqlite/sqlite_connection.hpp: db may not include db/sqlite (ARCHITECTURE.md, Layering)
src/db/dialect.cpp:2: includes web/web_server.hpp: db may not include web (ARCHITECTURE.md, Layering)
src/db/dialect.cpp:3: includes commands/squash.hpp: db may not include commands (ARCHITECTURE.md, Layering)"

new_tree
rm "$tree/src/db/engine_registry.cpp"
expect "a row naming a file src/ does not have is an error" 2 \
  "ARCHITECTURE.md: the row db/engine_registry.cpp names a file src/ does not have (ARCHITECTURE.md, Layering)"

new_tree
add src/extras/extra.cpp '#include "util/text.hpp"'
add src/extras/extra.hpp '#pragma once'
expect "a folder with no row fails" 1 "src/extras/: extras has no row (ARCHITECTURE.md, Layering)"

new_tree
printf '%s\n' '# Architecture' '' '## Layering' '' "$fence" 'util: graph' 'graph: util' "$fence" \
  >"$tree/ARCHITECTURE.md"
expect "a row may name only rows above it" 2 \
  "ARCHITECTURE.md:6: util names graph, which has no row above it (the table in \"## Layering\")"

new_tree
printf '%s\n' '# Architecture' '' '## Layering' '' 'No table.' '' '## Errors' '' "$fence" 'util:' \
  "$fence" >"$tree/ARCHITECTURE.md"
expect "a missing table is an error" 2 \
  'ARCHITECTURE.md: no fenced table in its "## Layering" section'

exit $((failures > 0))
