#!/usr/bin/env bash
# make bench: time the built tools on synthetic workloads; see bench/README.md.
#
#   bench/run.sh BUILD_DIR
#
# Works in BUILD_DIR/bench-work (recreated each run), prints a markdown table and writes it to
# BUILD_DIR/bench-results.md (hyperfine's JSON and markdown exports stay in bench-work/).
# Needs hyperfine, /usr/bin/time and sqlite3 (make bench-deps). Never fails on a slow number:
# speed is measured here, not asserted; it fails only when a tool fails or gives wrong results.
# Environment: BENCH_DISK_RUNS (interleaved rounds of the upgrade benchmark on disk, default 3:
# a round is 2-40 s, depending on the disk's fsync latency), BENCH_RUNS (the same in RAM,
# default 5, after one warmup round), BENCH_MIN_RUNS (the read benchmarks, default 10),
# BENCH_PG_RUNS (interleaved rounds of the PostgreSQL upgrade benchmark after one warmup round,
# default 2, best even: a round is 15-40 s), BENCH_DOT_TIMEOUT (seconds Graphviz's dot may take
# for the reference of d, default 120).
#
# When PostgreSQL's server is installed (/usr/lib/postgresql/*/bin/initdb, with psql and pg_dump),
# bench/postgres.sh runs the same benchmarks against a throwaway durable cluster
# (scripts/with-postgres.sh --durable), in BUILD_DIR/bench-work/pg, and its rows join the table.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$BUILD_DIR/tools
GENERATE=$BUILD_DIR/bench/generate_migrations
WORK=$BUILD_DIR/bench-work
RESULTS=$BUILD_DIR/bench-results.md
DISK_RUNS=${BENCH_DISK_RUNS:-3}
RUNS=${BENCH_RUNS:-5}
MIN_RUNS=${BENCH_MIN_RUNS:-10}

for tool in migrate-upgrade migrate-current migrate-history migrate-graph migrate-check; do
  [[ -x $TOOLS/$tool ]] || { echo "$0: $TOOLS/$tool is not built" >&2; exit 2; }
done
[[ -x $GENERATE ]] || { echo "$0: $GENERATE is not built" >&2; exit 2; }
for command in hyperfine sqlite3 awk git; do
  command -v "$command" >/dev/null || { echo "$0: $command is missing (make bench-deps)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "$0: /usr/bin/time is missing (make bench-deps)" >&2; exit 2; }

# Nothing from the caller's environment or the repository's migrate.conf may steer the tools:
# the variables are cleared, an empty bench migrate.conf sits in the work folder (so the walk
# up from the working directory stops there) and every call names it with --config, plus
# --dir and --database explicitly.
unset MIGRATE_ENV MIGRATE_DATABASE_URL DATABASE_URL
export NO_COLOR=1 LC_ALL=C
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
printf '# Empty on purpose: bench/run.sh passes --dir and --database to every tool.\n' >migrate.conf
COMMON="--config $WORK/migrate.conf --no-color"
UPGRADE=$TOOLS/migrate-upgrade
CURRENT=$TOOLS/migrate-current
HISTORY=$TOOLS/migrate-history
GRAPH=$TOOLS/migrate-graph
# dbmate, the fastest peer runner (make bench-deps installs it from the npm registry): its
# native binary, not npm's node wrapper, whose start would be most of what is measured.
DBMATE=$(ls "$BUILD_DIR"/bench-npm/node_modules/@dbmate/*/bin/dbmate 2>/dev/null | head -n 1 || true)
DBMATE_FLAGS="--no-dump-schema --migrations-table schema_migrations"

step() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "$0: $*" >&2; exit 1; }
count_rows() { sqlite3 "$1" 'SELECT count(*) FROM schema_migrations'; }
# max_rss NAME COMMAND...: runs COMMAND once under /usr/bin/time, prints its max RSS in kB
# (rss-NAME.txt keeps "kB seconds").
max_rss() {
  local out=rss-$1.txt
  shift
  /usr/bin/time -f '%M %e' -o "$out" "$@" >/dev/null 2>&1 || fail "failed: $*"
  tail -n 1 "$out" | cut -d' ' -f1
}
declare -A RSS SETUP
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# Workloads: a realistic share of merge points (1 per 100 migrations); d draws a branchier one
# (1 per 50).
step "generating workloads"
"$GENERATE" --count 1000 --merges 10 --out m1k >&2
"$GENERATE" --count 10000 --merges 100 --out m10k >&2
"$GENERATE" --count 10000 --merges 200 --out g10k >&2

# --- a. upgrade: 1,000 pending migrations into an empty SQLite file ---------------------------
# The raw reference is what `migrate-upgrade --sql` prints: the same statements, BEGIN/COMMIT
# per migration and the state-table INSERT in each, run by the sqlite3 shell. The script
# starts with the settings migrate opens its connections with (PRAGMA foreign_keys = ON).
#
# Twice: in bench-work (a real disk, where the 1,000 commits wait for fsync, the physical
# limit) and, when /dev/shm is a writable tmpfs, in RAM (no fsync: the CPU cost shows).
step "a. migrate-upgrade vs sqlite3 on 1,000 pending migrations"
$UPGRADE $COMMON --dir m1k --database sqlite:script.db --sql >upgrade-1k.sql
grep -q '^PRAGMA foreign_keys = ON;$' upgrade-1k.sql || fail "upgrade-1k.sql: no PRAGMA foreign_keys"
[[ ! -e script.db ]] || fail "migrate-upgrade --sql created the database"
[[ $(grep -c '^BEGIN;$' upgrade-1k.sql) -eq 1000 ]] || fail "upgrade-1k.sql: expected 1000 BEGIN"

schema() { sqlite3 "$1" "SELECT type, name, sql FROM sqlite_schema ORDER BY name"; }
# bench_upgrade NAME FOLDER ROUNDS WARMUP_ROUNDS: interleaved rounds of one run of each command
# (a shared disk's fsync latency and the machine's load drift; interleaving keeps the ratio
# fair), each round a hyperfine export a-NAME-ROUND.json.
bench_upgrade() {
  local name=$1 dir=$2 round
  for ((round = 1 - $4; round <= $3; round++)); do
    printf '   %s round %s of %s\n' "$name" "$round" "$3" >&2
    local dbmate=()
    [[ -z $DBMATE ]] || dbmate=(--prepare "rm -f $dir/up-dbmate.db $dir/up-dbmate.db-journal"
                                -n 'dbmate up' "$DBMATE $DBMATE_FLAGS --url sqlite:$dir/up-dbmate.db --migrations-dir m1k up")
    hyperfine --style none --runs 1 \
      --prepare "rm -f $dir/up-migrate.db $dir/up-migrate.db-journal" \
      --prepare "rm -f $dir/up-raw.db $dir/up-raw.db-journal" \
      --export-json "a-$name-$([[ $round -ge 1 ]] && echo "$round" || echo "warmup$((1 - round))").json" \
      -n 'migrate-upgrade' "$UPGRADE $COMMON -q --dir m1k --database sqlite:$dir/up-migrate.db" \
      -n 'sqlite3 < script' "sqlite3 $dir/up-raw.db < upgrade-1k.sql" \
      "${dbmate[@]}" >&2
  done
  if [[ -n $DBMATE ]]; then  # the same 1,000 versions, by its own table
    [[ $(sqlite3 $dir/up-dbmate.db 'SELECT count(*) FROM schema_migrations') -eq 1000 ]] ||
      fail "$dir/up-dbmate.db: dbmate applied no 1000 migrations"
  fi
  # The last round's files are left: check that both sides did the same work.
  for db in $dir/up-migrate.db $dir/up-raw.db; do
    [[ $(count_rows $db) -eq 1000 ]] || fail "$db: expected 1000 state rows"
  done
  [[ "$(schema $dir/up-migrate.db)" == "$(schema $dir/up-raw.db)" ]] ||
    fail "migrate and sqlite3 built different schemas in $dir"
}
bench_upgrade disk "$WORK" "$DISK_RUNS" 0
RAM=
if [[ -d /dev/shm && -w /dev/shm && $(stat -f -c %T /dev/shm) == tmpfs ]]; then
  RAM=$(mktemp -d /dev/shm/migrate-bench.XXXXXX)
  trap 'rm -rf "$RAM" "${DEPLOY:-}"' EXIT
  bench_upgrade ram "$RAM" "$RUNS" 1
  RSS[upgrade-each-1k]=$(max_rss upgrade-each-1k $UPGRADE $COMMON -q --dir m1k --database sqlite:$RAM/rss.db)
  RSS[upgrade-raw-1k]=$(max_rss upgrade-raw-1k sh -c "sqlite3 $RAM/raw.db < upgrade-1k.sql")
  [[ -z $DBMATE ]] ||
    RSS[upgrade-dbmate-1k]=$(max_rss upgrade-dbmate-1k $DBMATE $DBMATE_FLAGS --url sqlite:$RAM/dbmate.db --migrations-dir m1k up)
  rm -rf "$RAM"
fi

# --- b. read commands with 1,000 and 10,000 migrations applied --------------------------------
# Two databases per size:
#  - full-N.db: really applied, once, with --single-transaction (timed, and measured for c).
#    One table and one index per migration: 20,000 schema objects at 10k, which SQLite parses
#    before the first query, and whose creation is quadratic in SQLite itself (each CREATE
#    re-reads the schema table), in the raw sqlite3 shell too.
#  - state-N.db: the same state rows recorded with --fake, nothing else: what migrate itself
#    costs, without the size of the application's schema.
step "b. migrate-current and migrate-history --json, 1,000 and 10,000 applied"
for n in 1k 10k; do
  RSS[upgrade-$n]=$(max_rss upgrade-$n $UPGRADE $COMMON -q --dir m$n --database sqlite:full-$n.db --single-transaction)
  SETUP[$n]=$(tail -n 1 rss-upgrade-$n.txt | cut -d' ' -f2)
  $UPGRADE $COMMON -q --dir m$n --database sqlite:state-$n.db --single-transaction --fake
done
for kind in full state; do
  for n in 1k 10k; do
    db=$kind-$n.db
    rows=$([[ $n == 1k ]] && echo 1000 || echo 10000)
    [[ $(count_rows $db) -eq $rows ]] || fail "$db: expected $rows state rows"
    # Sanity: a single head, nothing pending; the JSON lists every migration.
    $CURRENT $COMMON --dir m$n --database sqlite:$db --check >/dev/null ||
      fail "migrate-current --check: $db is not at the head of m$n"
    $HISTORY $COMMON --dir m$n --database sqlite:$db --json >history-$kind-$n.json
    [[ $(grep -c '"state":"applied"' history-$kind-$n.json) -eq $rows ]] ||
      fail "history-$kind-$n.json: expected $rows applied migrations"
  done
done
# dbmate's status beside it: the same versions in dbmate's own table (its schema_migrations has
# a version column alone), in a database of its own.
if [[ -n $DBMATE ]]; then
  for n in 1k 10k; do
    rm -f dbmate-$n.db
    { echo 'BEGIN; CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);'
      sqlite3 state-$n.db 'SELECT id FROM schema_migrations' | sed "s/.*/INSERT INTO schema_migrations VALUES ('&');/"
      echo 'COMMIT;'; } | sqlite3 dbmate-$n.db
    $DBMATE $DBMATE_FLAGS --url sqlite:dbmate-$n.db --migrations-dir m$n status >dbmate-status-$n.txt || true
    grep -q '^Pending: 0$' dbmate-status-$n.txt || fail "dbmate status on dbmate-$n.db: $(tail -n 2 dbmate-status-$n.txt)"
  done
fi
# The references: what any tool has to do at least — read every migration file, and read the
# state table (SQLite parses the whole schema first) — done by cat and by the sqlite3 shell.
for kind in state full; do
  for n in 1k 10k; do
    cat_files=()
    [[ $kind == state ]] && cat_files=(-n 'cat files' "cat m$n/*.sql >/dev/null")
    [[ $kind == state && -n $DBMATE ]] &&
      cat_files+=(-n 'dbmate status' "$DBMATE $DBMATE_FLAGS --url sqlite:dbmate-$n.db --migrations-dir m$n status >/dev/null")
    hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
      --export-json b-$kind-$n.json --export-markdown b-$kind-$n.md \
      -n 'migrate-current' "$CURRENT $COMMON --dir m$n --database sqlite:$kind-$n.db" \
      -n 'migrate-history --json' "$HISTORY $COMMON --dir m$n --database sqlite:$kind-$n.db --json" \
      -n 'sqlite3 SELECT' "sqlite3 $kind-$n.db 'SELECT * FROM schema_migrations' >/dev/null" \
      "${cat_files[@]}" >&2
  done
done

# b2. The same status from a deploy's copy: the folder, the database and a migrate.conf naming
# them, copied outside any repository (a container image, a tarball), so nothing can be kept in
# a .git: migrate.conf's parse goes to the user's cache folder (a fresh XDG_CACHE_HOME here),
# the outlines beside the database. The files are left two seconds to age, so a warm run may
# trust their stamps. Run from the copy, as a deploy runs it.
step "b2. migrate-current, 1,000 applied, from a copy outside any repository"
DEPLOY=$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-deploy.XXXXXX")
trap 'rm -rf "${RAM:-}" "$DEPLOY"' EXIT
cp -r m1k "$DEPLOY/migrations"
cp state-1k.db "$DEPLOY/migrate.db"
printf '[migrate]\n\tdir = migrations\n\tdatabase = sqlite:migrate.db\n' >"$DEPLOY/migrate.conf"
! env -u GIT_DIR -u GIT_WORK_TREE git -C "$DEPLOY" rev-parse --git-dir >/dev/null 2>&1 ||
  fail "$DEPLOY is inside a git repository"
sleep 2.1
(
  cd "$DEPLOY"
  export XDG_CACHE_HOME=$DEPLOY/cache
  $CURRENT --check >/dev/null || fail "migrate-current --check: the deploy copy is not at the head"
  hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
    --export-json "$WORK/b2-deploy-1k.json" --export-markdown "$WORK/b2-deploy-1k.md" \
    -n 'migrate-current' "$CURRENT" \
    -n 'sqlite3 SELECT' "sqlite3 migrate.db 'SELECT * FROM schema_migrations' >/dev/null" >&2
)
compgen -G "$DEPLOY/cache/migrate/config/*" >/dev/null ||
  fail "the deploy copy's runs did not keep migrate.conf's parse in $DEPLOY/cache"
[[ -f $DEPLOY/migrate.db.migrate-outlines ]] ||
  fail "the deploy copy's runs did not keep the outlines beside its database"
(cd "$DEPLOY" && XDG_CACHE_HOME=$DEPLOY/cache LD_DEBUG=files $CURRENT 2>&1 >/dev/null) |
  { ! grep -q 'libgit2\.so'; } || fail "a warm run from the deploy copy loaded libgit2"
rm -rf "$DEPLOY"

# --- c. peak memory (max RSS) ------------------------------------------------------------------
step "c. peak memory"
for kind in state full; do
  for n in 1k 10k; do
    RSS[current-$kind-$n]=$(max_rss current-$kind-$n $CURRENT $COMMON --dir m$n --database sqlite:$kind-$n.db)
    RSS[history-$kind-$n]=$(max_rss history-$kind-$n $HISTORY $COMMON --dir m$n --database sqlite:$kind-$n.db --json)
    RSS[sqlite3-$kind-$n]=$(max_rss sqlite3-$kind-$n sqlite3 $kind-$n.db 'SELECT * FROM schema_migrations')
  done
done

# --- d. drawing the graph: 10,000 migrations with 200 merge points -----------------------------
# Half of them applied (state rows recorded with --fake), so the drawings are coloured.
# migrate-graph --format svg computes its own lane layout and writes the SVG from it;
# migrate-history --graph draws the same layout in text. The reference is Graphviz's dot laying
# out the DOT that migrate-graph writes (cgraph), run once with a timeout: its layout grows much
# faster than the graph. migrate-history without --graph reads the same and draws nothing: the
# floor of both.
step "d. migrate-graph --format svg and migrate-history --graph, 10,000 migrations, 200 merges"
half=$(ls g10k/*.sql | sed -n '5000{s|.*/||;s|_.*||;p}')
$UPGRADE $COMMON -q --dir g10k --database sqlite:graph-10k.db --single-transaction --fake "$half"
[[ $(count_rows graph-10k.db) -gt 4000 ]] || fail "graph-10k.db: expected about 5000 state rows"
GRAPH_ARGS="$COMMON --dir g10k --database sqlite:graph-10k.db"
# Sanity: a node per migration, coloured; well-formed XML; a text line per migration.
$GRAPH $GRAPH_ARGS -q --format svg -o graph-10k.svg
[[ $(grep -c '<g id="m[0-9]*" class="node state-' graph-10k.svg) -eq 10000 ]] ||
  fail "graph-10k.svg: expected 10000 coloured nodes"
if command -v xmllint >/dev/null; then
  xmllint --noout graph-10k.svg || fail "graph-10k.svg is not well-formed XML"
fi
$HISTORY $GRAPH_ARGS --graph >history-graph-10k.txt
[[ $(grep -cE '^[-.|/\\ ]*\*[-.|/\\ ]*(applied|pending) ' history-graph-10k.txt) -eq 10000 ]] ||
  fail "history-graph-10k.txt: expected 10000 migration lines"
$GRAPH $GRAPH_ARGS -q --format dot -o graph-10k.dot
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
  --export-json d-graph-10k.json --export-markdown d-graph-10k.md \
  -n 'migrate-graph --format svg' "$GRAPH $GRAPH_ARGS -q --format svg -o graph-10k.svg" \
  -n 'migrate-history --graph' "$HISTORY $GRAPH_ARGS --graph >/dev/null" \
  -n 'migrate-graph --format dot' "$GRAPH $GRAPH_ARGS -q --format dot -o graph-10k.dot" \
  -n 'migrate-history' "$HISTORY $GRAPH_ARGS >/dev/null" >&2
RSS[graph-10k]=$(max_rss graph-10k $GRAPH $GRAPH_ARGS -q --format svg -o graph-10k.svg)
DOT_TIMEOUT=${BENCH_DOT_TIMEOUT:-120}
DOT_TIME=
if command -v dot >/dev/null; then
  printf '   dot -Tsvg graph-10k.dot (one run, at most %s s)\n' "$DOT_TIMEOUT" >&2
  if /usr/bin/time -f '%e' -o dot-time.txt timeout "$DOT_TIMEOUT" dot -Tsvg graph-10k.dot -o graph-10k-dot.svg; then
    DOT_TIME="$(tail -n 1 dot-time.txt) s"
  else
    DOT_TIME="> $DOT_TIMEOUT s (stopped)"
  fi
else
  step "d. reference skipped: Graphviz's dot is not installed (make bench-deps installs graphviz)"
fi

# --- e. who added each migration: migrate-history --verbose in a git repository ----------------
# bench/generate_repo.sh: 5,000 migrations and 20,000 other files over 3,000 commits (49 of them
# merges of a side branch), checked out, with origin/main at the tip. migrate-history --verbose
# finds the commit that added each migration in one libgit2 walk of the history; the reference
# is the git CLI doing the same job (git log --diff-filter=A over the folder). migrate-history
# without --verbose reads the same files and does not look at git: the floor.
step "e. migrate-history --verbose in a git repository: 5,000 migrations, 3,000 commits"
/usr/bin/time -f '%e' -o setup-repo.txt "$SOURCE_DIR/bench/generate_repo.sh" repo-5k
SETUP[repo]=$(tail -n 1 setup-repo.txt)
REPO_ARGS="$COMMON --dir repo-5k/migrations --database sqlite:repo-5k.db"
GIT_LOG_FORMAT='%h%x09%an%x09%ae%x09%aI%x09%s'
# Sanity: every migration has an adding commit, the same one as git's newest addition of the file
# (git log lists newest first: the first commit naming a file is the one migrate reports).
$HISTORY $REPO_ARGS --verbose >history-verbose-5k.txt
[[ $(grep -cE '^  added     [0-9a-f]{7,} by ' history-verbose-5k.txt) -eq 5000 ]] ||
  fail "history-verbose-5k.txt: expected 5000 adding commits"
$HISTORY $REPO_ARGS --json |
  sed -n 's|.*"file":"[^"]*/\([^"/]*\)".*"commit":{"id":"\([0-9a-f]*\)".*|\1 \2|p' | sort >added-migrate.txt
git -C repo-5k log --diff-filter=A --name-only --format='commit %H' -- migrations |
  awk '/^commit / { c = $2; next } /^migrations\/.*\.sql$/ && !seen[$0]++ { sub(/^migrations\//, ""); print $0, c }' |
  sort >added-git.txt
[[ $(wc -l <added-git.txt) -eq 5000 ]] || fail "added-git.txt: expected 5000 files"
cmp -s added-migrate.txt added-git.txt || fail "migrate and git log disagree on who added which migration (added-*.txt)"
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
  --export-json e-repo-5k.json --export-markdown e-repo-5k.md \
  -n 'migrate-history --verbose' "$HISTORY $REPO_ARGS --verbose >/dev/null" \
  -n 'git log --diff-filter=A' "git -C repo-5k log --diff-filter=A --name-only --format='$GIT_LOG_FORMAT' -- migrations >/dev/null" \
  -n 'migrate-history' "$HISTORY $REPO_ARGS >/dev/null" >&2
# migrate-check --staged, the pre-commit gate, on the same repository: a model file changed and a
# new migration staged with it (the passing case: every rule is evaluated). It reads the index,
# diffs it against HEAD under the migrations folder and the models pattern, loads the 5,001
# staged migrations from their blobs, and lints the new one: on SQLite (this configuration) by
# running it on a development database that holds its 5,000 ancestors, replayed once (by the
# check just below) and kept in .git/migrate/replay-sqlite-lint. The reference is git comparing
# the index with HEAD.
cat >repo-5k/migrate.conf <<'CONF'
[migrate]
	models = app/models/**
	upstream = origin/main
CONF
# awk reads to the end: head would stop early and git, its writer, die of SIGPIPE (pipefail).
model=$(git -C repo-5k ls-files 'app/models/*' | awk 'NR == 1')
echo "# touched by the benchmark" >>"repo-5k/$model"
new_migration=99990101000000_bench_check.sql
printf -- '-- bench check\n-- depends: %s\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n' \
  "$(cat repo-5k/migrations/HEAD)" >"repo-5k/migrations/$new_migration"
echo "${new_migration%.sql}" >repo-5k/migrations/HEAD
git -C repo-5k add -- "$model" "migrations/$new_migration" migrations/HEAD
CHECK=$TOOLS/migrate-check
(cd repo-5k && "$CHECK" --staged -q) || fail "migrate-check --staged refused the benchmark's commit"
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
  --export-json e-check-5k.json --export-markdown e-check-5k.md \
  -n 'migrate-check --staged' "cd repo-5k && $CHECK --staged -q" \
  -n 'git diff --cached --name-status' "git -C repo-5k diff --cached --name-status >/dev/null" >&2
# The runs above find every migration in the parse cache (.git/migrate/parse-cache) but none of
# them writes it. Harder cases: the new migration's text changes before each run (a new blob:
# parsed, as on each real commit; one blob in 5,001 is too few to rewrite the cache for), no
# parse cache (every blob read and parsed, and the cache written), and no replay kept (the
# linter replays the 5,000 migrations, as the first check in a fresh clone does; 3 runs).
edit_new="echo '-- edited' >>repo-5k/migrations/$new_migration && git -C repo-5k add migrations/$new_migration"
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
  --export-json e-check-5k-cold.json --export-markdown e-check-5k-cold.md \
  -n 'migrate-check --staged, one new blob' --prepare "$edit_new" "cd repo-5k && $CHECK --staged -q" \
  -n 'migrate-check --staged, no parse cache' --prepare 'rm -f repo-5k/.git/migrate/parse-cache' \
  "cd repo-5k && $CHECK --staged -q" >&2
hyperfine --style basic --runs 3 \
  --export-json e-check-5k-replay.json --export-markdown e-check-5k-replay.md \
  -n 'migrate-check --staged, no replay kept' --prepare 'rm -f repo-5k/.git/migrate/replay-sqlite-lint' \
  "cd repo-5k && $CHECK --staged -q" >&2
# The same commit on PostgreSQL (the gate does not connect): the linter reads libpg_query's
# parse trees, and the new migration has something to lint: a table with a foreign key to a
# released one, its index, and a column added to the released table.
cat >repo-5k/migrate.conf <<'CONF'
[migrate]
	models = app/models/**
	upstream = origin/main
	database = postgres://bench@localhost/bench
CONF
printf -- "-- bench check\n-- depends: %s\n-- migrate:up\nSET lock_timeout = '2s';\nSET statement_timeout = '1min';\nCREATE TABLE bench_notes (id bigint PRIMARY KEY, coupon_id bigint NOT NULL REFERENCES coupons_99 (id), body text);\nCREATE INDEX bench_notes_coupon ON bench_notes (coupon_id);\nALTER TABLE coupons_99 ADD COLUMN note text;\n-- migrate:down\nDROP TABLE bench_notes;\nALTER TABLE coupons_99 DROP COLUMN note;\n" \
  "$(sed -n 's/^-- depends: //p' "repo-5k/migrations/$new_migration")" >"repo-5k/migrations/$new_migration"
git -C repo-5k add "migrations/$new_migration"
(cd repo-5k && "$CHECK" --staged -q) || fail "migrate-check --staged refused the benchmark's PostgreSQL commit"
hyperfine --style basic --warmup 3 --min-runs "$MIN_RUNS" \
  --export-json e-check-5k-pg.json --export-markdown e-check-5k-pg.md \
  -n 'migrate-check --staged, PostgreSQL' "cd repo-5k && $CHECK --staged -q" >&2
RSS[history-repo-5k]=$(max_rss history-repo-5k $HISTORY $REPO_ARGS --verbose)

# --- f. migrate-web: 10,000 migrations over 6,000 commits -------------------------------------
# bench/web.sh: first byte of / after start, /api/migrations with wrk on 2 connections, and the
# server's RSS after 100 and 10,000 requests. Its lines join the notes under the table.
if command -v wrk >/dev/null && command -v curl >/dev/null; then
  step "f. migrate-web: 10,000 migrations, 6,000 commits"
  "$SOURCE_DIR/bench/web.sh" "$BUILD_DIR" "$WORK" >&2 || fail "the migrate-web benchmark failed"
else
  step "f. migrate-web: skipped, wrk or curl is missing (make bench-deps installs them)"
fi

# --- g. install size and start time ------------------------------------------------------------
# What `make install` puts in PREFIX/bin and PREFIX/lib/migrate (stripped), and the start of the
# smallest command:
# migrate-current --version, against the sqlite3 shell's and git's --version.
step "g. installed size and start time"
rm -rf "$WORK/prefix"
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" --strip >/dev/null || fail "make install's step failed"
INSTALLED_KB=$(du -sk "$WORK/prefix" | cut -f1)
"$WORK/prefix/bin/migrate-current" --version >/dev/null || fail "the installed migrate-current does not start"
# A round per command, each command first once: a start takes a millisecond or two, so
# whichever runs first after section f's load (or any other) would pay for it alone.
start_commands=(-n 'migrate-current --version' "$WORK/prefix/bin/migrate-current --version"
                -n 'sqlite3 --version' 'sqlite3 --version'
                -n 'git --version' 'git --version')
[[ -z $DBMATE ]] || start_commands+=(-n 'dbmate --version' "$DBMATE --version")
for ((round = 0; round < ${#start_commands[@]} / 3; round++)); do
  rotated=("${start_commands[@]:$((round * 3))}" "${start_commands[@]:0:$((round * 3))}")  # -n NAME COMMAND each
  hyperfine --style basic -N --warmup 10 --min-runs 100 --export-json "g-start-$round.json" \
    "${rotated[@]}" >&2
done

# --- h. other tools' folders: reading and planning 1,000 migrations of each format ------------
# The same 1,000 migrations as migrate's own folder, as dbmate's, golang-migrate's (two files
# each), goose's and Flyway's (a V and a U file each), and a name-ordered folder's (two files
# each, read with --format stem, which is never detected), read and planned for a database that
# has none applied (`--dry-run`, nothing is created). Rotated rounds, as in g.
step "h. reading and planning 1,000 migrations of each folder format"
format_commands=()
for format in migrate dbmate golang-migrate goose flyway stem; do
  "$GENERATE" --count 1000 --format "$format" --out "fmt-$format" >&2
  chosen=""
  [[ $format != stem ]] || chosen="--format stem"
  format_commands+=(-n "$format" "$UPGRADE $COMMON --dir fmt-$format $chosen --database sqlite:fmt-none.db --dry-run -q")
done
for round in 0 1 2; do
  rotated=("${format_commands[@]:$((round * 6))}" "${format_commands[@]:0:$((round * 6))}")
  hyperfine --style basic -N --warmup 3 --min-runs "$MIN_RUNS" --export-json "h-formats-$round.json" \
    "${rotated[@]}" >&2
done
[[ ! -e fmt-none.db ]] || fail "upgrade --dry-run created fmt-none.db"

# --- i. the schema: dump and diff of 200 tables ------------------------------------------------
# 200 migrations, each a table (a foreign key to an earlier one, defaults) and an index, applied
# to s200.db. Its schema files: migrate-dump's own dump of it, plus a view per 10 tables and 5
# new tables, so migrate-diff replays the 200 migrations into a development database, loads the
# files into another, generates the migration between them and tries it both ways.
step "i. schema: migrate-dump and migrate-diff, 200 tables"
"$GENERATE" --count 200 --out s200 >&2
"$UPGRADE" $COMMON --dir s200 --database sqlite:s200.db -q >&2 || fail "the 200-table set-up failed"
mkdir -p schema200
"$TOOLS/migrate-dump" $COMMON --database sqlite:s200.db >schema200/a_tables.sql || fail "migrate-dump failed"
views=$(sqlite3 s200.db "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations' ORDER BY name" |
  awk 'NR % 10 == 1 { printf "CREATE VIEW v_%s AS SELECT id, name, amount FROM %s WHERE amount > 0;\n", $1, $1 }')
{
  echo "$views"
  for i in 1 2 3 4 5; do echo "CREATE TABLE extra_$i (id INTEGER PRIMARY KEY, note TEXT);"; done
} >schema200/b_more.sql
diff_out=$("$TOOLS/migrate-diff" $COMMON --database sqlite:s200.db s200@head schema200) || fail "migrate-diff failed"
grep -q 'CREATE TABLE extra_5' <<<"$diff_out" || fail "migrate-diff did not create the new tables"
hyperfine --style basic -N --warmup 3 --min-runs "$MIN_RUNS" --export-json i-schema.json \
  -n 'migrate-dump' "$TOOLS/migrate-dump $COMMON --database sqlite:s200.db" \
  -n 'sqlite3 .schema' "sqlite3 s200.db .schema" \
  -n 'migrate-diff' "$TOOLS/migrate-diff $COMMON --database sqlite:s200.db s200@head schema200" \
  -n 'migrate-diff --check' "$TOOLS/migrate-diff $COMMON --database sqlite:s200.db --check sqlite:s200.db s200@head" >&2

# --- j. the drift gate: 500 migrations, a 200-table schema -------------------------------------
# bench/drift_gate.sh: migrate-check --staged with `schema =` configured, when the commit changes
# neither the model nor the migrations (the answer remembered) and when it changes both (from the
# last commit's replay kept, and from none: the 500 migrations replayed), against the sqlite3
# shell running the replay's statements.
step "j. the drift gate: migrate-check --staged, 500 migrations, 200 tables"
"$SOURCE_DIR/bench/drift_gate.sh" "$BUILD_DIR" "$WORK" >&2 || fail "the drift gate benchmark failed"
# --- k. migrate-verify: the stairway of 200 migrations ------------------------------------------
# The 200 migrations of i with 2 merge points: the graph, base -> head, then each migration's up,
# down and up again with the schema compared after each, on in-memory development databases.
# Sanity: every check passes (203: graph, upgrade, lint, 200 stairs), and the database named with
# --database is never created (verify uses development databases only).
step "k. migrate-verify, 200 migrations"
"$GENERATE" --count 200 --merges 2 --out v200 >&2
verify_out=$("$TOOLS/migrate-verify" $COMMON --dir v200 --database sqlite:v200.db -q) ||
  fail "migrate-verify failed on a clean history: $verify_out"
grep -q 'verified: 203 checks, 203 passed' <<<"$verify_out" || fail "migrate-verify checked something else: $verify_out"
[[ ! -e v200.db ]] || fail "migrate-verify created the database it was pointed at"
hyperfine --style basic -N --warmup 1 --min-runs "$MIN_RUNS" --export-json k-verify.json \
  -n 'migrate-verify' "$TOOLS/migrate-verify $COMMON --dir v200 --database sqlite:v200.db -q" >&2

# --- l. migrate-lint: 1,000 PostgreSQL migrations, beside squawk ---------------------------------
# bench/lint.sh: migrate-lint and squawk (when make bench-deps installed it) on the same 1,000
# files in one hyperfine run, then the shared fixture of unsafe statements: every rule squawk
# reports there, migrate-lint reports too (bench/lint-rules-vs-squawk.md maps the names).
step "l. migrate-lint, 1,000 migrations, beside squawk"
"$SOURCE_DIR/bench/lint.sh" "$BUILD_DIR" "$WORK" >&2 || fail "the lint benchmark failed"

# --- PostgreSQL: a, b and c against a throwaway durable cluster ---------------------------------
# One with-postgres.sh invocation for the whole part. The cluster lives in bench-work (the same
# disk as the SQLite benchmark) unless that path is too long for a unix socket's name.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG=
if [[ -n $PG_BIN && -x $PG_BIN/initdb ]] && command -v psql >/dev/null && command -v pg_dump >/dev/null; then
  PG=$WORK/pg
  pg_tmp=${TMPDIR:-/tmp}
  ((${#WORK} > 70)) || pg_tmp=$WORK
  TMPDIR=$pg_tmp "$SOURCE_DIR/scripts/with-postgres.sh" --durable \
    "$SOURCE_DIR/bench/postgres.sh" "$BUILD_DIR" "$PG" || fail "the PostgreSQL benchmarks failed"
else
  step "PostgreSQL: skipped, its server is not installed (make bench-deps installs it)"
fi

# --- the table ----------------------------------------------------------------------------------
# stats NAME FILE...: "mean_ms sd_ms runs" of the command named NAME over every timed run in
# the hyperfine JSON exports FILE... (σ with n-1, as hyperfine).
stats() {
  local name=$1
  shift
  awk -v name="$name" '
    /"command":/ { line = $0; sub(/^[^:]*: *"/, "", line); sub(/",? *$/, "", line); found = (line == name); next }
    found && /"times": *\[/ { in_times = 1; next }
    in_times && /\]/ { in_times = 0; found = 0; next }
    in_times { v = $1; sub(/,$/, "", v); x[n++] = v * 1000 }
    END {
      if (n == 0) exit 1
      for (i = 0; i < n; i++) sum += x[i]
      mean = sum / n
      for (i = 0; i < n; i++) sq += (x[i] - mean) ^ 2
      printf "%.6f %.6f %d\n", mean, (n > 1 ? sqrt(sq / (n - 1)) : 0), n
    }' "$@" || fail "no timing of '$name' in $*"
}
mean_ms() { stats "$@" | cut -d' ' -f1; }
mean_sd() {  # "12.3 ± 0.4 ms" (or s)
  stats "$@" | awk '{ if ($1 >= 1000) printf "%.2f ± %.2f s", $1 / 1000, $2 / 1000; else printf "%.1f ± %.1f ms", $1, $2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v <= limit ? "met" : "**missed**") }'; }

seconds() { awk -v s="$1" 'BEGIN { printf "%.1f s", s }'; }
ratio_row() {  # ratio_row NAME: the migrate/raw ratio of an upgrade benchmark
  ratio "$(mean_ms 'migrate-upgrade' a-$1-[0-9]*.json)" "$(mean_ms 'sqlite3 < script' a-$1-[0-9]*.json)"
}
disk_ratio=$(ratio_row disk)

# speed_table: issue 16's table, every row beside the raw client and dbmate (the fastest peer)
# measured in this run, from the exports above.
peer() {  # peer NAME FILE...: mean ± σ, or "—" when that command was not run (no dbmate)
  grep -q "\"command\": *\"$1\"" "${@:2}" 2>/dev/null && mean_sd "$@" || echo "—"
}
speed_table() {
  echo
  echo "Read commands, start, memory, the gate and apply, beside the raw client and dbmate $([[ -n $DBMATE ]] && "$DBMATE" --version | cut -d' ' -f3 || echo '(not installed: make bench-deps)'), the fastest peer, in this run:"
  echo
  echo "| | raw client | dbmate | migrate | goal |"
  echo "|---|---|---|---|---|"
  local c1k c10k
  c1k=$(mean_ms 'migrate-current' b-state-1k.json)
  c10k=$(mean_ms 'migrate-current' b-state-10k.json)
  echo "| status with 1,000 applied, SQLite (\`migrate-current\`, \`dbmate status\`, sqlite3 SELECT) | $(mean_sd 'sqlite3 SELECT' b-state-1k.json) | $(peer 'dbmate status' b-state-1k.json) | $(mean_sd 'migrate-current' b-state-1k.json) | ≤ 6 ms: $(verdict "$c1k" 6) |"
  if [[ -n $PG ]]; then
    local p1k
    p1k=$(mean_ms 'migrate-current' "$PG/b-state-1k.json")
    echo "| status with 1,000 applied, PostgreSQL (psql SELECT) | $(mean_sd 'psql SELECT' "$PG/b-state-1k.json") | $(peer 'dbmate status' "$PG/b-state-1k.json") | $(mean_sd 'migrate-current' "$PG/b-state-1k.json") | ≤ 10 ms: $(verdict "$p1k" 10) |"
  fi
  echo "| status with 1,000 applied, SQLite, from a copy outside any repository, with a migrate.conf | $(mean_sd 'sqlite3 SELECT' b2-deploy-1k.json) | — | $(mean_sd 'migrate-current' b2-deploy-1k.json) | ≤ 6 ms: $(verdict "$(mean_ms 'migrate-current' b2-deploy-1k.json)" 6) |"
  echo "| status with 10,000 applied, SQLite | $(mean_sd 'sqlite3 SELECT' b-state-10k.json) | $(peer 'dbmate status' b-state-10k.json) | $(mean_sd 'migrate-current' b-state-10k.json) | ≤ 30 ms: $(verdict "$c10k" 30) |"
  local growth dbmate_growth="—"
  growth=$(ratio "$c10k" "$c1k")
  grep -q '"dbmate status"' b-state-1k.json 2>/dev/null &&
    dbmate_growth=$(ratio "$(mean_ms 'dbmate status' b-state-10k.json)" "$(mean_ms 'dbmate status' b-state-1k.json)")x
  echo "| growth of status from 1,000 to 10,000 applied | $(ratio "$(mean_ms 'sqlite3 SELECT' b-state-10k.json)" "$(mean_ms 'sqlite3 SELECT' b-state-1k.json)")x | $dbmate_growth | ${growth}x | < 2x: $(verdict "$growth" 2) |"
  local start_ms
  start_ms=$(mean_ms 'migrate-current --version' g-start-[0-9]*.json)
  echo "| start (\`--version\`; sqlite3's) | $(mean_sd 'sqlite3 --version' g-start-[0-9]*.json) | $(peer 'dbmate --version' g-start-[0-9]*.json) | $(mean_sd 'migrate-current --version' g-start-[0-9]*.json) | ≤ 2.5 ms: $(verdict "$start_ms" 2.5) |"
  if [[ -n ${RSS[upgrade-each-1k]:-} ]]; then
    local dbmate_rss="—"
    [[ -z ${RSS[upgrade-dbmate-1k]:-} ]] || dbmate_rss=$(mib "${RSS[upgrade-dbmate-1k]}")
    echo "| peak memory, apply 1,000 (a transaction each, tmpfs) | $(mib "${RSS[upgrade-raw-1k]}") | $dbmate_rss | $(mib "${RSS[upgrade-each-1k]}") | ≤ 10 MiB: $(verdict "$(awk -v k="${RSS[upgrade-each-1k]}" 'BEGIN { print k / 1024 }')" 10) |"
  fi
  local gate_ms
  gate_ms=$(mean_ms 'migrate-check --staged' e-check-5k.json)
  echo "| pre-commit gate, 5,000 migrations / 25,000 files, warm (\`git diff --cached\`) | $(mean_sd 'git diff --cached --name-status' e-check-5k.json) | — | $(mean_sd 'migrate-check --staged' e-check-5k.json) | ≤ 40 ms: $(verdict "$gate_ms" 40) |"
  local apply_ratio
  apply_ratio=$(ratio_row disk)
  echo "| apply 1,000, SQLite, a transaction each (disk; sqlite3 < \`--sql\` script) | $(mean_sd 'sqlite3 < script' a-disk-[0-9]*.json) | $(peer 'dbmate up' a-disk-[0-9]*.json) | $(mean_sd 'migrate-upgrade' a-disk-[0-9]*.json) (${apply_ratio}x raw) | ≤ 1.02x raw: $(verdict "$apply_ratio" 1.02) |"
}

commit=$(git -C "$SOURCE_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$SOURCE_DIR" status --porcelain -- src tools 2>/dev/null) ]]; then
  commit+=" + uncommitted changes in src/ or tools/"
fi
{
  echo "# migrate benchmarks"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(basename "$BUILD_DIR") ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null))."
  echo "$(nproc) CPUs, load average $START_LOAD at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end;"
  echo "bench-work on $(stat -f -c %T "$WORK"); sqlite3 $(sqlite3 --version | cut -d' ' -f1); $(hyperfine --version)."
  echo "Times: mean ± σ of hyperfine runs (a: $DISK_RUNS interleaved rounds on disk, $RUNS in tmpfs after a warmup round; b: ≥ $MIN_RUNS runs after 3 warmups)."
  if [[ -n $PG ]]; then
    echo "PostgreSQL $(tail -n 1 "$PG/server.txt" | cut -d' ' -f1), a throwaway cluster on $(stat -f -c %T "$pg_tmp"), over its unix socket; $(head -n 1 "$PG/server.txt")(a: ${BENCH_PG_RUNS:-2} interleaved rounds after a warmup round)."
  fi
  echo
  echo "| benchmark | 1,000 migrations | 10,000 migrations (e: 5,000) | reference / target |"
  echo "|---|---|---|---|"
  echo "| a. migrate-upgrade, all pending, empty SQLite file (disk) | $(mean_sd 'migrate-upgrade' a-disk-[0-9]*.json) | | |"
  echo "| a. sqlite3 < \`migrate-upgrade --sql\` script (disk) | $(mean_sd 'sqlite3 < script' a-disk-[0-9]*.json) | | physical limit |"
  echo "| a. **ratio migrate / raw (disk)** | **$disk_ratio** | | ≤ 1.3: $(verdict "$disk_ratio" 1.3) |"
  if [[ -n $RAM ]]; then
    ram_ratio=$(ratio_row ram)
    echo "| a. migrate-upgrade, all pending (tmpfs, no fsync) | $(mean_sd 'migrate-upgrade' a-ram-[0-9]*.json) | | |"
    echo "| a. sqlite3 < script (tmpfs, no fsync) | $(mean_sd 'sqlite3 < script' a-ram-[0-9]*.json) | | CPU limit |"
    echo "| a. **ratio migrate / raw (tmpfs)** | **$ram_ratio** | | ≤ 1.3: $(verdict "$ram_ratio" 1.3) |"
  fi
  echo "| b. set-up of full-N.db: migrate-upgrade --single-transaction (one run) | $(seconds "${SETUP[1k]}") | $(seconds "${SETUP[10k]}") | |"
  for kind in state full; do
    if [[ $kind == state ]]; then
      what="state table only (--fake)"
    else
      what="full schema (a table + an index per migration)"
    fi
    current_10k=$(mean_ms 'migrate-current' b-$kind-10k.json)
    history_10k=$(mean_ms 'migrate-history --json' b-$kind-10k.json)
    echo "| b. migrate-current, $what | $(mean_sd 'migrate-current' b-$kind-1k.json) | $(mean_sd 'migrate-current' b-$kind-10k.json) | < 30 ms at 10k: $(verdict "$current_10k" 30) |"
    echo "| b. migrate-history --json, $what | $(mean_sd 'migrate-history --json' b-$kind-1k.json) | $(mean_sd 'migrate-history --json' b-$kind-10k.json) | < 150 ms at 10k: $(verdict "$history_10k" 150) |"
    echo "| b. reference: sqlite3 SELECT * FROM the state table, $what | $(mean_sd 'sqlite3 SELECT' b-$kind-1k.json) | $(mean_sd 'sqlite3 SELECT' b-$kind-10k.json) | physical limit, with cat |"
    if [[ $kind == state ]]; then
      echo "| b. reference: cat the migration files | $(mean_sd 'cat files' b-state-1k.json) | $(mean_sd 'cat files' b-state-10k.json) | physical limit, with sqlite3 |"
    fi
  done
  for kind in state full; do
    for tool in current history sqlite3; do
      case $tool in
        current) label="migrate-current" ;;
        history) label="migrate-history --json" ;;
        sqlite3) label="sqlite3 SELECT the state table (reference)" ;;
      esac
      echo "| c. max RSS $label, $([[ $kind == state ]] && echo "state table only" || echo "full schema") | $(mib "${RSS[$tool-$kind-1k]}") | $(mib "${RSS[$tool-$kind-10k]}") | |"
    done
  done
  echo "| c. max RSS migrate-upgrade --single-transaction, all pending | $(mib "${RSS[upgrade-1k]}") | $(mib "${RSS[upgrade-10k]}") | |"
  if [[ -n ${RSS[upgrade-each-1k]:-} ]]; then
    echo "| c. max RSS migrate-upgrade (a commit per migration), all pending | $(mib "${RSS[upgrade-each-1k]}") | | |"
  fi
  svg_10k=$(mean_ms 'migrate-graph --format svg' d-graph-10k.json)
  ascii_10k=$(mean_ms 'migrate-history --graph' d-graph-10k.json)
  echo "| d. migrate-graph --format svg (lane layout), 200 merge points, half applied | | $(mean_sd 'migrate-graph --format svg' d-graph-10k.json) | < 300 ms: $(verdict "$svg_10k" 300) |"
  echo "| d. migrate-history --graph, 200 merge points, half applied | | $(mean_sd 'migrate-history --graph' d-graph-10k.json) | < 200 ms: $(verdict "$ascii_10k" 200) |"
  echo "| d. migrate-graph --format dot (cgraph, no layout) | | $(mean_sd 'migrate-graph --format dot' d-graph-10k.json) | |"
  echo "| d. reference: migrate-history without --graph (the same reading, no drawing) | | $(mean_sd 'migrate-history' d-graph-10k.json) | floor |"
  if [[ -n $DOT_TIME ]]; then
    echo "| d. reference: Graphviz dot -Tsvg on that DOT (one run) | | $DOT_TIME | dot's own layout |"
  fi
  echo "| d. max RSS migrate-graph --format svg | | $(mib "${RSS[graph-10k]}") | |"
  verbose_5k=$(mean_ms 'migrate-history --verbose' e-repo-5k.json)
  echo "| e. set-up: bench/generate_repo.sh, 3,000 commits, 25,000 files (one run) | | $(seconds "${SETUP[repo]}") | |"
  echo "| e. migrate-history --verbose in git, 3,000 commits: each migration's adding commit | | $(mean_sd 'migrate-history --verbose' e-repo-5k.json) | < 1 s: $(verdict "$verbose_5k" 1000) |"
  echo "| e. reference: git log --diff-filter=A --name-only -- migrations | | $(mean_sd 'git log --diff-filter=A' e-repo-5k.json) | the git CLI doing the same job |"
  echo "| e. reference: migrate-history (the same reading, no git) | | $(mean_sd 'migrate-history' e-repo-5k.json) | floor |"
  check_5k=$(mean_ms 'migrate-check --staged' e-check-5k.json)
  echo "| e. migrate-check --staged, a model change with its migration, 25,000 files, lint on (SQLite's rules: the new migration run on its 5,000 ancestors, replay kept) | | $(mean_sd 'migrate-check --staged' e-check-5k.json) | ≤ 40 ms: $(verdict "$check_5k" 40) |"
  echo "| e. migrate-check --staged, the new migration edited before each run (one blob to parse) | | $(mean_sd 'migrate-check --staged, one new blob' e-check-5k-cold.json) | |"
  echo "| e. migrate-check --staged, no parse cache | | $(mean_sd 'migrate-check --staged, no parse cache' e-check-5k-cold.json) | |"
  echo "| e. migrate-check --staged, no replay kept (a fresh clone's first check: the linter replays 5,000 migrations) | | $(mean_sd 'migrate-check --staged, no replay kept' e-check-5k-replay.json) | once per clone |"
  echo "| e. migrate-check --staged on PostgreSQL, lint on (libpg_query's rules; a table, an index, a foreign key and a column to lint) | | $(mean_sd 'migrate-check --staged, PostgreSQL' e-check-5k-pg.json) | |"
  echo "| e. reference: git diff --cached --name-status | | $(mean_sd 'git diff --cached --name-status' e-check-5k.json) | git comparing index and HEAD |"
  echo "| e. max RSS migrate-history --verbose in git | | $(mib "${RSS[history-repo-5k]}") | |"
  if [[ -n $PG ]]; then
    pg_ratio=$(ratio "$(mean_ms 'migrate-upgrade' "$PG"/a-round-*.json)" "$(mean_ms 'psql -f script' "$PG"/a-round-*.json)")
    pg_current_10k=$(mean_ms 'migrate-current' "$PG/b-state-10k.json")
    echo "| a. PostgreSQL: migrate-upgrade, all pending, empty database (fsync on) | $(mean_sd 'migrate-upgrade' "$PG"/a-round-*.json) | | |"
    echo "| a. PostgreSQL: psql -f \`migrate-upgrade --sql\` script (fsync on) | $(mean_sd 'psql -f script' "$PG"/a-round-*.json) | | physical limit |"
    echo "| a. **PostgreSQL: ratio migrate / psql** | **$pg_ratio** | | ≤ 1.3: $(verdict "$pg_ratio" 1.3) |"
    echo "| b. PostgreSQL: set-up of the state-only databases: migrate-upgrade --fake --single-transaction (one run) | $(seconds "$(cat "$PG/setup-fake-1k.txt")") | $(seconds "$(cat "$PG/setup-fake-10k.txt")") | |"
    echo "| b. PostgreSQL: migrate-current, state table only (--fake) | $(mean_sd 'migrate-current' "$PG/b-state-1k.json") | $(mean_sd 'migrate-current' "$PG/b-state-10k.json") | < 50 ms at 10k: $(verdict "$pg_current_10k" 50) |"
    echo "| b. PostgreSQL: migrate-history --json, state table only (--fake) | $(mean_sd 'migrate-history --json' "$PG/b-state-1k.json") | $(mean_sd 'migrate-history --json' "$PG/b-state-10k.json") | |"
    echo "| b. PostgreSQL: reference: psql -A -t -c 'SELECT * FROM schema_migrations' | $(mean_sd 'psql SELECT' "$PG/b-state-1k.json") | $(mean_sd 'psql SELECT' "$PG/b-state-10k.json") | physical limit, with cat |"
    echo "| b. PostgreSQL: reference: cat the migration files | $(mean_sd 'cat files' "$PG/b-state-1k.json") | $(mean_sd 'cat files' "$PG/b-state-10k.json") | physical limit, with psql |"
    pg_dump_ms=$(mean_ms 'migrate-dump' "$PG/i-schema.json")
    echo "| i. PostgreSQL: migrate-dump, 200 tables (an index, a foreign key, an identity each; a view and a trigger per 10) | $(mean_sd 'migrate-dump' "$PG/i-schema.json") | | < 5 s: $(verdict "$pg_dump_ms" 5000) |"
    echo "| i. PostgreSQL: pg_dump --schema-only, the same database | $(mean_sd 'pg_dump --schema-only' "$PG/i-schema.json") | | the server's own dump |"
    pg_diff_ms=$(mean_ms 'migrate-diff --check, throwaway cluster' "$PG/i-diff.json")
    echo "| i. PostgreSQL: migrate-diff --check s200@head dump.sql, on dev-database | $(mean_sd 'migrate-diff --check, dev-database' "$PG/i-diff.json") | | |"
    echo "| i. PostgreSQL: the same on a throwaway cluster migrate starts (initdb included) | $(mean_sd 'migrate-diff --check, throwaway cluster' "$PG/i-diff.json") | | < 5 s: $(verdict "$pg_diff_ms" 5000) |"
    pg_rss() { mib "$(cut -d' ' -f1 "$PG/rss-$1.txt" | sort -n | tail -n 1)"; }
    echo "| c. PostgreSQL: max RSS migrate-current, state table only | $(pg_rss current-1k) | $(pg_rss current-10k) | |"
    echo "| c. PostgreSQL: max RSS migrate-history --json, state table only | $(pg_rss history-1k) | $(pg_rss history-10k) | |"
    echo "| c. PostgreSQL: max RSS psql SELECT the state table (reference) | $(pg_rss psql-1k) | $(pg_rss psql-10k) | |"
    echo "| c. PostgreSQL: max RSS migrate-upgrade (a commit per migration), all pending | $(pg_rss upgrade-1k) | | |"
    echo "| c. PostgreSQL: max RSS psql -f script (reference) | $(pg_rss psql-upgrade-1k) | | |"
    echo "| c. PostgreSQL: max RSS migrate-upgrade --fake --single-transaction | $(pg_rss fake-1k) | $(pg_rss fake-10k) | |"
  fi
  start_ratio=$(ratio "$(mean_ms 'migrate-current --version' g-start-[0-9]*.json)" "$(mean_ms 'sqlite3 --version' g-start-[0-9]*.json)")
  echo "| g. installed (make install, stripped), du -sh PREFIX (bin/ and lib/migrate/) | $(mib "$INSTALLED_KB") | | |"
  echo "| g. start: migrate-current --version (installed) | $(mean_sd 'migrate-current --version' g-start-[0-9]*.json) | | |"
  echo "| g. start: sqlite3 --version | $(mean_sd 'sqlite3 --version' g-start-[0-9]*.json) | | reference |"
  echo "| g. start: git --version | $(mean_sd 'git --version' g-start-[0-9]*.json) | | reference |"
  echo "| g. **ratio migrate-current / sqlite3 start** | **$start_ratio** | | ≤ 1.5: $(verdict "$start_ratio" 1.5) |"
  own_format=$(mean_ms migrate h-formats-[0-9]*.json)
  echo "| h. migrate-upgrade --dry-run, 1,000 migrations, migrate's own folder | $(mean_sd migrate h-formats-[0-9]*.json) | | reference |"
  for format in dbmate golang-migrate goose flyway stem; do
    format_ratio=$(ratio "$(mean_ms "$format" h-formats-[0-9]*.json)" "$own_format")
    echo "| h. the same as a $format folder (ratio to migrate's own: **$format_ratio**) | $(mean_sd "$format" h-formats-[0-9]*.json) | | ≤ 1.2: $(verdict "$format_ratio" 1.2) |"
  done
  dump_ms=$(mean_ms 'migrate-dump' i-schema.json)
  diff_ms=$(mean_ms 'migrate-diff' i-schema.json)
  echo "| i. migrate-dump, SQLite, 200 tables (an index and a foreign key each) | $(mean_sd 'migrate-dump' i-schema.json) | | < 1 s: $(verdict "$dump_ms" 1000) |"
  echo "| i. reference: sqlite3 .schema on the same file | $(mean_sd 'sqlite3 .schema' i-schema.json) | | the raw client |"
  echo "| i. migrate-diff s200@head schema/, SQLite: replay 200 migrations, load the files, generate, try both ways | $(mean_sd 'migrate-diff' i-schema.json) | | < 1 s: $(verdict "$diff_ms" 1000) |"
  echo "| i. migrate-diff --check sqlite:s200.db s200@head (drift check: read one, replay the other) | $(mean_sd 'migrate-diff --check' i-schema.json) | | |"
  gate_ms=$(mean_ms 'migrate-check --staged, nothing relevant changed' j-gate.json)
  echo "| j. migrate-check --staged with schema =, 500 migrations and 200 tables, the commit changes neither (the agreement remembered) | $(mean_sd 'migrate-check --staged, nothing relevant changed' j-gate.json) | | < 300 ms: $(verdict "$gate_ms" 300) |"
  changed_ms=$(mean_ms 'migrate-check --staged, the model changed with its migration' j-gate-replay.json)
  echo "| j. the same, the model changed with its migration (the last commit's replay kept: 1 migration applied) | $(mean_sd 'migrate-check --staged, the model changed with its migration' j-gate-replay.json) | | < 300 ms: $(verdict "$changed_ms" 300) |"
  echo "| j. the same with no replay kept (a fresh clone: the 500 migrations replayed) | $(mean_sd 'migrate-check --staged, the same with no replay kept' j-gate-replay.json) | | |"
  echo "| j. reference: sqlite3 :memory: running the replay's statements (300 ALTER TABLE ADD COLUMN each re-parse the schema) | $(mean_sd 'sqlite3 :memory: < replay script' j-gate-replay.json) | | SQLite's own share |"
  verify_ms=$(mean_ms 'migrate-verify' k-verify.json)
  echo "| k. migrate-verify, SQLite, 200 migrations: graph, base -> head, each one's up, down and up again with the schema compared | $(mean_sd 'migrate-verify' k-verify.json) | | < 2 s: $(verdict "$verify_ms" 2000) |"
  if [[ -n $PG ]]; then
    pg_verify_ms=$(mean_ms 'migrate-verify, dev-database' "$PG/k-verify.json")
    echo "| k. PostgreSQL: migrate-verify, 200 migrations, on dev-database | $(mean_sd 'migrate-verify, dev-database' "$PG/k-verify.json") | | < 20 s: $(verdict "$pg_verify_ms" 20000) |"
    echo "| k. PostgreSQL: the same on a throwaway cluster migrate starts (initdb included) | $(mean_sd 'migrate-verify, throwaway cluster' "$PG/k-verify.json") | | |"
  fi
  lint_ms=$(mean_ms 'migrate-lint' l-lint.json)
  echo "| l. migrate-lint, PostgreSQL: 50 tables, 950 changes to them ($(cat lint/l1k-counts.txt)) | $(mean_sd 'migrate-lint' l-lint.json) | | < 1 s: $(verdict "$lint_ms" 1000) |"
  echo "| l. migrate-lint --json, the same | $(mean_sd 'migrate-lint --json' l-lint.json) | | |"
  if grep -q '"squawk"' l-lint.json; then
    echo "| l. squawk (squawk-cli 2.66.0), the same files | $(mean_sd 'squawk' l-lint.json) | | reference |"
    echo "| l. squawk --reporter json, the same files | $(mean_sd 'squawk --reporter json' l-lint.json) | | reference |"
  fi
  echo "| l. the shared fixture: squawk's findings migrate-lint reports too | $(cat l-check.txt) | | all, or a listed difference |"
  if [[ -f $WORK/web/results.txt ]]; then
    echo
    sed 's/^web: /- f. migrate-web: /' "$WORK/web/results.txt"
  fi
  speed_table
} >"$RESULTS"

echo >&2
cat "$RESULTS"
echo >&2
echo "written to $RESULTS; raw hyperfine exports in $WORK${PG:+ and $PG}" >&2
