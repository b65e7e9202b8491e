#!/usr/bin/env bash
# Part l of bench/run.sh: migrate-lint on 1,000 PostgreSQL migrations, side by side with squawk
# (squawk-cli from the npm registry, which `make bench-deps` installs into BUILD_DIR/bench-npm);
# see bench/README.md.
#
#   bench/lint.sh BUILD_DIR WORK_DIR
#
# In WORK_DIR/lint, a git repository of its own with no `upstream` (so every migration is
# linted and no table is new but to its own migration, for both tools alike):
#  - l1k: generate_migrations --count 1000 --tables 50 --dialect postgres --lint-mix (50 tables,
#    then 950 everyday changes to them, most of which a rule finds; no down sections, so both
#    tools read the same statements). Timed, as hyperfine export WORK_DIR/l-lint.json: each tool
#    with its default human output and with its JSON, on the same files in the same run.
#  - the shared fixture (bench/lint-fixture/migrations: one unsafe change a file): every rule
#    squawk reports in a file, migrate-lint must report in that file under the name
#    bench/lint-rules-vs-squawk.md maps it to, unless that file's table of deliberate
#    differences lists it. squawk runs with --assume-in-transaction on the files whose section
#    is transactional (as migrate runs them) and without it on the transaction:false ones
#    (named *notx*).
# Without squawk, migrate-lint alone is timed and the comparison is skipped with a note. Fails
# only when a tool fails or the check finds a rule squawk reports and migrate-lint misses.
set -euo pipefail

BUILD_DIR=$(cd "$1" && pwd)
WORK=$(cd "$2" && pwd)
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$BUILD_DIR/tools
GENERATE=$BUILD_DIR/bench/generate_migrations
SQUAWK=$BUILD_DIR/bench-npm/node_modules/.bin/squawk
MIN_RUNS=${BENCH_MIN_RUNS:-10}
MAPPING=$SOURCE_DIR/bench/lint-rules-vs-squawk.md
fail() { echo "$0: $*" >&2; exit 1; }
unset MIGRATE_ENV MIGRATE_DATABASE_URL DATABASE_URL
export NO_COLOR=1 LC_ALL=C GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

LINT_DIR=$WORK/lint
rm -rf "$LINT_DIR"
mkdir -p "$LINT_DIR"
cd "$LINT_DIR"
git init -q -b main  # no commit, no origin/main: no upstream
# A PostgreSQL project; no server is needed (migrate-lint connects only with --database).
printf '[migrate]\n\tdatabase = postgres://localhost/bench\n' >migrate.conf
LINT="$TOOLS/migrate-lint --config $LINT_DIR/migrate.conf --no-color"
HAVE_SQUAWK=
[[ -x $SQUAWK ]] && HAVE_SQUAWK=1

"$GENERATE" --count 1000 --tables 50 --dialect postgres --lint-mix --out l1k >&2
status=0
$LINT --dir l1k --json >l1k-migrate.json 2>/dev/null || status=$?
[[ $status -eq 3 ]] || fail "migrate-lint on l1k: exit $status, expected 3 (errors found)"
for rule in require-concurrent-index-creation constraint-missing-not-valid changing-column-type \
  adding-not-nullable-field prefer-text-field prefer-timestamp-tz prefer-bigint-over-int; do
  grep -q "\"rule\": \"$rule\"" l1k-migrate.json || fail "migrate-lint on l1k: no $rule finding"
done
errors=$(sed -n 's/^ *"errors": \([0-9]*\),*$/\1/p' l1k-migrate.json)
warnings=$(sed -n 's/^ *"warnings": \([0-9]*\),*$/\1/p' l1k-migrate.json)
printf '%s errors, %s warnings\n' "$errors" "$warnings" >l1k-counts.txt

commands=(-n 'migrate-lint' "$LINT --dir l1k"
  -n 'migrate-lint --json' "$LINT --dir l1k --json")
if [[ -n $HAVE_SQUAWK ]]; then
  status=0
  "$SQUAWK" --reporter json 'l1k/*.sql' >l1k-squawk.json || status=$?
  [[ $status -eq 1 ]] || fail "squawk on l1k: exit $status, expected 1 (violations)"
  commands+=(-n 'squawk' "$SQUAWK 'l1k/*.sql'"
    -n 'squawk --reporter json' "$SQUAWK --reporter json 'l1k/*.sql'")
fi
# Both exit non-zero on findings (3 and 1): -i keeps hyperfine going.
hyperfine --style basic -N -i --warmup 2 --min-runs "$MIN_RUNS" --export-json "$WORK/l-lint.json" \
  "${commands[@]}" >&2

if [[ -z $HAVE_SQUAWK ]]; then
  echo "squawk is not installed ($SQUAWK; make bench-deps installs it): no comparison" >&2
  echo "skipped" >"$WORK/l-check.txt"
  exit 0
fi

# --- the shared fixture ------------------------------------------------------------------------
cp -r "$SOURCE_DIR/bench/lint-fixture/migrations" fixture
# "file rule" per finding, file names without their folder.
status=0
$LINT --dir fixture --format github 2>/dev/null |
  sed -n 's/^::[a-z]* file=\([^,]*\),line=[0-9]*,title=\([^:]*\)::.*/\1 \2/p' |
  sed 's|^.*/||' | sort -u >fixture-migrate.txt || true
{
  "$SQUAWK" --assume-in-transaction --exclude-path '*notx*' --reporter gcc 'fixture/*.sql' || true
  "$SQUAWK" --reporter gcc 'fixture/*notx*.sql' || true
} | awk -F': ' '/: warning: / { split($1, at, ":"); f = at[1]; sub(/.*\//, "", f); split($3, r, " "); print f, r[1] }' |
  sort -u >fixture-squawk.txt
[[ -s fixture-squawk.txt ]] || fail "squawk reported nothing on the fixture"
# The mapping's two tables: "squawk -> migrate names" rows (the first table: backquoted names in
# its first two cells) and "file rule" rows (the table of deliberate differences).
awk -F'|' '
  /^## / { table++ }
  /^\| `/ {
    first = $2; second = $3
    gsub(/[` ]/, "", first)
    names = ""
    while (match(second, /`[a-z0-9-]+`/)) {
      names = names " " substr(second, RSTART + 1, RLENGTH - 2)
      second = substr(second, RSTART + RLENGTH)
    }
    if (table == 1) print "map", first names
    else if (table == 2) print "differs", first, substr(names, 2)
  }' "$MAPPING" >mapping.txt
grep -q '^map ' mapping.txt || fail "$MAPPING: no mapping rows read"
awk '
  FILENAME == "mapping.txt" && $1 == "map" { for (i = 3; i <= NF; i++) names[$2] = names[$2] " " $i; next }
  FILENAME == "mapping.txt" && $1 == "differs" { differs[$2 " " $3] = 1; next }
  FILENAME == "fixture-migrate.txt" { found[$1 " " $2] = 1; next }
  {
    total++
    if (($1 " " $2) in differs) { expected++; print "differs on purpose: " $1 " " $2; used[$1 " " $2] = 1; next }
    n = split(names[$2], candidates, " ")
    ok = 0
    for (i = 1; i <= n; i++) if (($1 " " candidates[i]) in found) ok = 1
    if (ok) { matched++; next }
    missing++
    print "MISSING: " $1 ": squawk reports " $2 ", migrate-lint " (n ? "reports none of" names[$2] : "has no rule mapped to it")
  }
  END {
    for (key in differs) if (!(key in used)) print "note: no longer a difference: " key
    printf "%d of squawk'\''s %d findings matched, %d deliberate differences, %d missing\n", matched, total, expected, missing > "l-check.txt"
    exit missing > 0
  }' mapping.txt fixture-migrate.txt fixture-squawk.txt >fixture-check.txt || {
  cat fixture-check.txt >&2
  fail "migrate-lint misses rules squawk reports on the shared fixture"
}
mv l-check.txt "$WORK/l-check.txt"
cat fixture-check.txt "$WORK/l-check.txt" >&2
