#!/usr/bin/env bash
# Part j of bench/run.sh: the drift gate, `migrate-check --staged` with `schema =` configured, in
# a repository of 500 migrations and a 200-table schema, on SQLite; see bench/README.md.
#
#   bench/drift_gate.sh BUILD_DIR WORK_DIR
#
# In WORK_DIR/gate: 500 migrations (generate_migrations --tables 200: 200 create a table, 300
# add a column and an index to one; 5 merge points), their schema dumped by migrate-dump into
# schema/app.sql, committed, with origin/main at the commit. Times, as hyperfine exports
# WORK_DIR/j-gate.json and j-gate-replay.json:
#  - the commit changes neither the model nor the migrations (a README staged): the answer
#    remembered from the check that ran before (.git/migrate/model-agreements);
#  - the model changed with the migration migrate-create wrote for it, staged: every run
#    replays the 500 migrations (the remembered agreements removed before each);
#  - reference: the sqlite3 shell running the replay's statements (`migrate-upgrade --sql` for
#    an empty database) in memory, SQLite's own share of the replay.
# Fails only when a tool fails or gives a wrong answer.
set -euo pipefail

BUILD_DIR=$(cd "$1" && pwd)
WORK=$(cd "$2" && pwd)
TOOLS=$BUILD_DIR/tools
GENERATE=$BUILD_DIR/bench/generate_migrations
MIN_RUNS=${BENCH_MIN_RUNS:-10}
fail() { echo "$0: $*" >&2; exit 1; }
unset MIGRATE_ENV MIGRATE_DATABASE_URL DATABASE_URL
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=bench \
  GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

GATE=$WORK/gate
rm -rf "$GATE"
mkdir -p "$GATE"
cd "$GATE"
"$GENERATE" --count 500 --merges 5 --tables 200 --out repo/migrations >&2
cd repo
git init -q -b main
printf '[migrate]\n\tschema = schema/\n\tdatabase = sqlite:app.db\n\tupstream = origin/main\n' >migrate.conf
"$TOOLS/migrate-upgrade" -q --database "sqlite:$GATE/built.db" || fail "applying the 500 migrations failed"
mkdir schema
"$TOOLS/migrate-dump" --database "sqlite:$GATE/built.db" >schema/app.sql || fail "migrate-dump failed"
tables=$(sqlite3 "$GATE/built.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('schema_migrations')")
[[ $tables -eq 200 ]] || fail "expected 200 tables, found $tables"
"$TOOLS/migrate-upgrade" --database "sqlite:$GATE/none.db" --sql >"$GATE/replay.sql" || fail "upgrade --sql failed"
git add -A
git commit -q -m "500 migrations, 200 tables"
git update-ref refs/remotes/origin/main HEAD

# A commit that changes neither: the check before it (the hook's, at the last commit) answered.
echo "Nothing to do with the schema." >README.md
git add README.md
"$TOOLS/migrate-check" --staged -q || fail "migrate-check refused a commit that agrees"
[[ -f .git/migrate/model-agreements ]] || fail "migrate-check remembered no agreement"
[[ -f .git/migrate/replay-sqlite ]] || fail "migrate-check kept no replay of the migrations"
cp .git/migrate/replay-sqlite "$GATE/replay-500"
hyperfine --style basic -N --warmup 3 --min-runs "$MIN_RUNS" --export-json "$WORK/j-gate.json" \
  -n 'migrate-check --staged, nothing relevant changed' "$TOOLS/migrate-check --staged -q" >&2

# The model changes: refused without its migration, accepted with it.
sed -i '0,/^  name TEXT NOT NULL,$/s//  name TEXT NOT NULL,\n  phone TEXT,/' schema/app.sql
git add schema
if "$TOOLS/migrate-check" --staged -q 2>/dev/null; then
  fail "migrate-check accepted a model change without its migration"
fi
"$TOOLS/migrate-create" -q -m "add phone" >/dev/null || fail "migrate-create failed"
git add -A
rm -f .git/migrate/model-agreements
"$TOOLS/migrate-check" --staged -q || fail "migrate-check refused the model change with its migration"
hyperfine --style basic -N --warmup 2 --min-runs "$MIN_RUNS" --export-json "$WORK/j-gate-replay.json" \
  --prepare "sh -c 'rm -f .git/migrate/model-agreements && cp $GATE/replay-500 .git/migrate/replay-sqlite'" \
  -n 'migrate-check --staged, the model changed with its migration' "$TOOLS/migrate-check --staged -q" \
  --prepare 'rm -f .git/migrate/model-agreements .git/migrate/replay-sqlite' \
  -n 'migrate-check --staged, the same with no replay kept' "$TOOLS/migrate-check --staged -q" \
  --prepare 'true' \
  -n 'sqlite3 :memory: < replay script' "sqlite3 :memory: -init $GATE/replay.sql .quit" >&2
