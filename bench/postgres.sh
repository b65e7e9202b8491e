#!/usr/bin/env bash
# The PostgreSQL part of make bench; see bench/README.md. bench/run.sh runs it as
#
#   scripts/with-postgres.sh --durable bench/postgres.sh BUILD_DIR OUT
#
# (one throwaway cluster, fsync on, for the whole part) and formats what it leaves in OUT
# (recreated): hyperfine's JSON exports (a-warmup.json, a-round-N.json, b-state-1k.json,
# b-state-10k.json), peak memory (rss-*.txt, lines of "kB seconds" from /usr/bin/time -f '%M %e'),
# the --fake set-up times (setup-fake-*.txt) and the server's settings and version (server.txt).
# Like run.sh, it fails only when a tool fails or gives a wrong result, never on a slow number.
# Environment: MIGRATE_TEST_POSTGRES_URL (set by with-postgres.sh: the superuser over the unix
# socket), BENCH_PG_RUNS (interleaved rounds of the upgrade benchmark after a warmup round,
# default 2, best even; a round is 15-40 s on a disk whose fdatasync takes ~3 ms),
# BENCH_MIN_RUNS (the read benchmarks, default 10).
set -euo pipefail

if [[ $# -ne 2 || -z ${MIGRATE_TEST_POSTGRES_URL:-} ]]; then
  echo "usage: scripts/with-postgres.sh --durable $0 BUILD_DIR OUT" >&2
  exit 2
fi
BUILD_DIR=$(cd "$1" && pwd)
OUT=$2
TOOLS=$BUILD_DIR/tools
GENERATE=$BUILD_DIR/bench/generate_migrations
PG_RUNS=${BENCH_PG_RUNS:-2}
MIN_RUNS=${BENCH_MIN_RUNS:-10}
ADMIN=$MIGRATE_TEST_POSTGRES_URL

for command in hyperfine psql pg_dump awk; do
  command -v "$command" >/dev/null || { echo "$0: $command is missing (make bench-deps)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "$0: /usr/bin/time is missing (make bench-deps)" >&2; exit 2; }

unset MIGRATE_ENV MIGRATE_DATABASE_URL DATABASE_URL PGDATABASE PGHOST PGPORT PGUSER PGOPTIONS
export NO_COLOR=1 LC_ALL=C
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
printf '# Empty on purpose: bench/postgres.sh passes --dir and --database to every tool.\n' >migrate.conf
COMMON="--config $PWD/migrate.conf --no-color"
UPGRADE=$TOOLS/migrate-upgrade
CURRENT=$TOOLS/migrate-current
HISTORY=$TOOLS/migrate-history

step() { printf '\n== PostgreSQL: %s\n' "$*" >&2; }
fail() { echo "$0: $*" >&2; exit 1; }
# url DB: the superuser URL, pointed at database DB (same socket, same port).
url() { printf '%s' "$ADMIN" | sed "s|^\(postgresql://[^/]*/\)[^?]*|\1$1|"; }
admin() { psql -X -q -v ON_ERROR_STOP=1 "$ADMIN" "$@"; }
sql_value() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$(url "$1")" -c "$2"; }
count_rows() { sql_value "$1" 'SELECT count(*) FROM schema_migrations'; }
max_rss() {  # max_rss NAME COMMAND...: as in run.sh
  local out=rss-$1.txt
  shift
  /usr/bin/time -f '%M %e' -o "$out" "$@" >/dev/null 2>&1 || fail "failed: $*"
  tail -n 1 "$out" | cut -d' ' -f1
}

# Checkpoints are put off until the cluster is thrown away. A checkpoint writes and fsyncs every
# file created since the last one (some 6,000 for 1,000 migrations: tables, indexes, sequences,
# TOAST; ~20 s here) and would land, at random, inside one command's run or the other's; in
# production it runs in the background whatever applied the migrations. Commits still wait for
# their WAL flush (fsync = on, synchronous_commit = on, full_page_writes = on).
admin -c "ALTER SYSTEM SET checkpoint_timeout = '1d'" -c "ALTER SYSTEM SET max_wal_size = '16GB'" \
  -c 'SELECT pg_reload_conf()' >/dev/null
for setting in fsync synchronous_commit full_page_writes wal_sync_method checkpoint_timeout \
  max_wal_size shared_buffers; do
  printf '%s=%s ' "$setting" "$(sql_value postgres "SHOW $setting")"
done >server.txt
[[ $(sql_value postgres 'SHOW fsync') == on ]] || fail "fsync is off: run under with-postgres.sh --durable"
printf '\n%s\n' "$(sql_value postgres 'SHOW server_version')" >>server.txt

step "generating workloads (--dialect postgres)"
"$GENERATE" --dialect postgres --count 1000 --merges 10 --out m1k >&2
"$GENERATE" --dialect postgres --count 10000 --merges 100 --out m10k >&2

# --- a. upgrade: 1,000 pending migrations into an empty database --------------------------------
# The raw reference is what `migrate-upgrade --sql` prints for an empty database (the state
# table's CREATE, then BEGIN, the statements, the state-table INSERT and COMMIT per migration),
# run by psql, stopping at the first error as migrate does.
step "a. migrate-upgrade vs psql on 1,000 pending migrations (fsync on)"
admin -c 'CREATE DATABASE script'
$UPGRADE $COMMON --dir m1k --database "$(url script)" --sql >upgrade-1k.sql
[[ $(sql_value script "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace") -eq 0 ]] ||
  fail "migrate-upgrade --sql created something in the database"
[[ $(grep -c '^BEGIN;$' upgrade-1k.sql) -eq 1000 ]] || fail "upgrade-1k.sql: expected 1000 BEGIN"
[[ $(grep -c '^COMMIT;$' upgrade-1k.sql) -eq 1000 ]] || fail "upgrade-1k.sql: expected 1000 COMMIT"
[[ $(grep -cE '^INSERT INTO ("public"\.)?"schema_migrations"' upgrade-1k.sql) -eq 1000 ]] ||
  fail "upgrade-1k.sql: expected 1000 state-table INSERTs"
{
  echo '\set ON_ERROR_STOP on'
  cat upgrade-1k.sql
} >upgrade-1k.psql

# fresh-db NAME: NAME becomes a new, empty database, and the disk is synced. The old database is
# renamed aside, not dropped: DROP DATABASE forces a checkpoint, the ~20 s of fsync put off
# above (with-postgres.sh removes the whole cluster at the end). RENAME waits up to 5 s for the
# previous run's backend to exit. The sync writes out what the previous run left dirty in the
# page cache, which the kernel would otherwise write back during the next run.
cat >fresh-db <<'EOF'
#!/bin/sh
psql -X -q -v ON_ERROR_STOP=1 -v name="$1" "$MIGRATE_TEST_POSTGRES_URL" <<'SQL'
SELECT format('ALTER DATABASE %I RENAME TO %I', datname,
              datname || '_old_' || (SELECT count(*) FROM pg_database))
  FROM pg_database WHERE datname = :'name' \gexec
CREATE DATABASE :"name";
SQL
sync
EOF
chmod +x fresh-db

# Interleaved rounds, one run of each command per round, as the SQLite disk benchmark, after one
# warmup round; the order alternates (migrate first in odd rounds, psql first in even ones), since
# here the runs keep getting faster for minutes after the cluster starts, whichever the command,
# and the one run second in every round would gain. Both run under /usr/bin/time (the same ~1 ms
# each, against seconds), which gives their peak memory.
migrate_run=(--prepare "./fresh-db up_migrate" -n 'migrate-upgrade'
  "/usr/bin/time -a -f '%M %e' -o rss-upgrade-1k.txt $UPGRADE $COMMON -q --dir m1k --database '$(url up_migrate)'")
psql_run=(--prepare "./fresh-db up_psql" -n 'psql -f script'
  "/usr/bin/time -a -f '%M %e' -o rss-psql-upgrade-1k.txt psql -X -q -f upgrade-1k.psql '$(url up_psql)'")
for ((round = 0; round <= PG_RUNS; round++)); do
  printf '   round %s of %s%s\n' "$round" "$PG_RUNS" "$([[ $round -eq 0 ]] && echo ' (warmup)')" >&2
  if ((round % 2 == 1)); then
    runs=("${migrate_run[@]}" "${psql_run[@]}")
  else
    runs=("${psql_run[@]}" "${migrate_run[@]}")
  fi
  # hyperfine pairs the i-th --prepare with the i-th command, wherever they stand.
  hyperfine --style none --runs 1 "${runs[@]}" \
    --export-json "a-$([[ $round -ge 1 ]] && echo "round-$round" || echo warmup).json" >&2
done
# The last round's databases are left: check that both sides did the same work.
for db in up_migrate up_psql; do
  [[ $(count_rows $db) -eq 1000 ]] || fail "$db: expected 1000 state rows"
  # 990 tables (the 10 merge migrations create none) and the state table; 990 name indexes
  # and 991 primary keys.
  [[ $(sql_value $db "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") -eq 991 ]] ||
    fail "$db: expected 991 tables"
  [[ $(sql_value $db "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'") -eq 1981 ]] ||
    fail "$db: expected 1981 indexes"
done
# pg_dump's \restrict key is random per dump; everything else must match.
schema() { pg_dump --schema-only "$(url "$1")" | grep -Ev '^\\(un)?restrict '; }
schema up_migrate >schema-migrate.sql
schema up_psql >schema-psql.sql
cmp -s schema-migrate.sql schema-psql.sql || fail "migrate and psql built different schemas (diff $OUT/schema-*.sql)"
[[ $(grep -c '^CREATE TABLE ' schema-migrate.sql) -eq 991 ]] ||
  fail "schema-migrate.sql: expected 991 tables (990 + the state table)"

# --- b. migrate-current with 1,000 and 10,000 migrations applied --------------------------------
# State-only databases: the rows recorded with --fake in one transaction (nothing else is run:
# applying 10,000 table-creating migrations would take minutes and measure PostgreSQL).
step "b. migrate-current, 1,000 and 10,000 applied (recorded with --fake)"
for n in 1k 10k; do
  admin -c "CREATE DATABASE state_$n"
  max_rss fake-$n $UPGRADE $COMMON -q --dir m$n --database "$(url state_$n)" --single-transaction --fake >/dev/null
  tail -n 1 rss-fake-$n.txt | cut -d' ' -f2 >setup-fake-$n.txt
  rows=$([[ $n == 1k ]] && echo 1000 || echo 10000)
  [[ $(count_rows state_$n) -eq $rows ]] || fail "state_$n: expected $rows state rows"
  [[ $(sql_value state_$n "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'") -eq 1 ]] ||
    fail "state_$n: --fake created tables"
  $CURRENT $COMMON --dir m$n --database "$(url state_$n)" --check >/dev/null ||
    fail "migrate-current --check: state_$n is not at the head of m$n"
  $HISTORY $COMMON --dir m$n --database "$(url state_$n)" --json >history-$n.json
  [[ $(grep -c '"state":"applied"' history-$n.json) -eq $rows ]] ||
    fail "history-$n.json: expected $rows applied migrations"
done
# dbmate's status beside it (make bench-deps installs it): the same versions in its own table,
# in a database of its own. dbmate spells the unix socket ?socket=.
DBMATE=$(ls "$BUILD_DIR"/bench-npm/node_modules/@dbmate/*/bin/dbmate 2>/dev/null | head -n 1 || true)
dbmate_url() { url "$1" | sed 's|?host=|?sslmode=disable\&socket=|'; }
if [[ -n $DBMATE ]]; then
  for n in 1k 10k; do
    admin -c "CREATE DATABASE dbmate_$n"
    { echo 'BEGIN; CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);'
      sql_value state_$n 'SELECT id FROM schema_migrations' | sed "s/.*/INSERT INTO schema_migrations VALUES ('&');/"
      echo 'COMMIT;'; } | psql -X -q -v ON_ERROR_STOP=1 "$(url dbmate_$n)" >/dev/null
    "$DBMATE" --no-dump-schema --url "$(dbmate_url dbmate_$n)" --migrations-dir m$n status >dbmate-status-$n.txt || true
    grep -q '^Pending: 0$' dbmate-status-$n.txt || fail "dbmate status on dbmate_$n: $(tail -n 2 dbmate-status-$n.txt)"
  done
fi
# The references: read every migration file (cat) and the state table (psql, unaligned: like
# sqlite3's list mode; psql's default aligned table costs twice as much at 10,000 rows, measuring
# columns). Each counts one process start, psql's also a connection.
for n in 1k 10k; do
  dbmate=()
  [[ -z $DBMATE ]] ||
    dbmate=(-n 'dbmate status' "$DBMATE --no-dump-schema --url '$(dbmate_url dbmate_$n)' --migrations-dir m$n status >/dev/null")
  hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
    --export-json b-state-$n.json --export-markdown b-state-$n.md \
    -n 'migrate-current' "$CURRENT $COMMON --dir m$n --database '$(url state_$n)'" \
    -n 'migrate-history --json' "$HISTORY $COMMON --dir m$n --database '$(url state_$n)' --json" \
    -n 'psql SELECT' "psql -X -A -t '$(url state_$n)' -c 'SELECT * FROM schema_migrations' >/dev/null" \
    -n 'cat files' "cat m$n/*.sql >/dev/null" \
    "${dbmate[@]}" >&2
done

# --- c. peak memory -------------------------------------------------------------------------------
step "c. peak memory"
for n in 1k 10k; do
  max_rss current-$n $CURRENT $COMMON --dir m$n --database "$(url state_$n)" >/dev/null
  max_rss history-$n $HISTORY $COMMON --dir m$n --database "$(url state_$n)" --json >/dev/null
  max_rss psql-$n psql -X -A -t "$(url state_$n)" -c 'SELECT * FROM schema_migrations' >/dev/null
done

# --- i. the schema: migrate-dump of 200 tables against pg_dump --schema-only ---------------------
# The 200-table workload of run.sh's section i, with PostgreSQL's types, plus a view and a
# trigger per 10 tables. The dump must load into an empty database and dump the same again.
step "i. schema: migrate-dump against pg_dump --schema-only, 200 tables"
"$GENERATE" --count 200 --dialect postgres --out s200 >&2
admin -c 'CREATE DATABASE schema_200' -c 'CREATE DATABASE schema_200_copy'
$UPGRADE $COMMON --dir s200 --database "$(url schema_200)" -q >&2 || fail "the 200-table set-up failed"
# What the migrations alone build, for migrate-diff below (the views and triggers come after).
$TOOLS/migrate-dump $COMMON --database "$(url schema_200)" >dump-200-migrations.sql ||
  fail "migrate-dump failed"
psql -X -q -v ON_ERROR_STOP=1 "$(url schema_200)" >&2 <<'SQL'
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT relname, row_number() OVER (ORDER BY relname) AS n FROM pg_class
           WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
             AND relname <> 'schema_migrations' LOOP
    IF t.n % 10 = 1 THEN
      EXECUTE format('CREATE VIEW %I AS SELECT id, name, amount FROM %I WHERE amount > 0',
                     'v_' || t.relname, t.relname);
      EXECUTE format('CREATE TRIGGER touch BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION touch()',
                     t.relname);
    END IF;
  END LOOP;
END $$;
SQL
$TOOLS/migrate-dump $COMMON --database "$(url schema_200)" >dump-200.sql || fail "migrate-dump failed"
psql -X -q -v ON_ERROR_STOP=1 "$(url schema_200_copy)" -f dump-200.sql >&2 || fail "the dump did not load"
$TOOLS/migrate-dump $COMMON --database "$(url schema_200_copy)" | cmp -s - dump-200.sql ||
  fail "the loaded dump dumps differently"
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" --export-json i-schema.json \
  -n 'migrate-dump' "$TOOLS/migrate-dump $COMMON --database '$(url schema_200)'" \
  -n 'pg_dump --schema-only' "pg_dump --schema-only '$(url schema_200)'" >&2
# migrate-diff --check of the migrations against the dump of what they build (they agree: exit
# 0, checked first): both loaded into development databases, on this cluster (dev-database) and
# on a throwaway cluster migrate starts itself (initdb included: no dev-database).
printf '[migrate]\n\tdev-database = %s\n' "$ADMIN" >dev.conf
$TOOLS/migrate-diff --config "$PWD/dev.conf" --no-color --database "$(url schema_200)" --check \
  s200@head dump-200-migrations.sql >&2 || fail "migrate-diff: the migrations and their dump differ"
hyperfine --style basic --warmup 1 --runs 3 --export-json i-diff.json \
  -n 'migrate-diff --check, dev-database' \
  "$TOOLS/migrate-diff --config $PWD/dev.conf --no-color --database '$(url schema_200)' --check s200@head dump-200-migrations.sql" \
  -n 'migrate-diff --check, throwaway cluster' \
  "$TOOLS/migrate-diff $COMMON --database '$(url schema_200)' --check s200@head dump-200-migrations.sql" >&2

# --- k. migrate-verify: the stairway of 200 migrations ------------------------------------------
# The 200-migration workload with PostgreSQL's types and 2 merge points: the graph, lint, base -> head,
# each migration's up, down and up again with the schema read and compared after each, on
# development databases of this cluster (dev-database) and of a throwaway cluster migrate starts
# itself (initdb included). The database --database names is never created.
step "k. migrate-verify, 200 migrations"
"$GENERATE" --count 200 --merges 2 --dialect postgres --out v200 >&2
verify_out=$($TOOLS/migrate-verify --config "$PWD/dev.conf" --no-color --dir v200 \
  --database "$(url verify_200)" -q) || fail "migrate-verify failed on a clean history: $verify_out"
grep -q 'verified: 203 checks, 203 passed' <<<"$verify_out" || fail "migrate-verify checked something else: $verify_out"
[[ -z $(sql_value postgres "SELECT datname FROM pg_database WHERE datname = 'verify_200'") ]] ||
  fail "migrate-verify created the database it was pointed at"
hyperfine --style basic --warmup 0 --runs 3 --export-json k-verify.json \
  -n 'migrate-verify, dev-database' \
  "$TOOLS/migrate-verify --config $PWD/dev.conf --no-color --dir v200 --database '$(url verify_200)' -q" \
  -n 'migrate-verify, throwaway cluster' \
  "$TOOLS/migrate-verify $COMMON --dir v200 --database '$(url verify_200)' -q" >&2
