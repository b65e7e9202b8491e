#!/usr/bin/env bash
# A synthetic git repository for the git benchmarks of bench/run.sh (part e); see bench/README.md.
#
#   bench/generate_repo.sh OUT_DIR
#
# OUT_DIR (created; must not exist or be empty) becomes a repository checked out on main, with a
# work tree and an index:
#  - migrations/: 5,000 migrations in migrate's format (a line: each `depends:` the previous
#    one; ids are UTC minute timestamps 17 minutes apart from 2024-01-01 00:00), and
#    migrations/HEAD naming the newest;
#  - 20,000 other files in nested folders (app/models/…, src/lib/…, spec/…, config/…), 12,000 of
#    them in the first commit and the rest added over the history;
#  - 3,000 commits by 8 authors, an hour apart: most add one or two migrations and touch a few
#    other files, one in ten touches other files only, one in a hundred also edits an older
#    migration, and every 60th starts a side branch (two commits adding migrations, one on main
#    meanwhile) joined by a merge commit;
#  - refs/heads/main, and refs/remotes/origin/main at the same commit (remote "origin", the
#    upstream of main).
# Built with one `git fast-import` stream written by awk: 15-30 s, where 3,000 `git commit`
# would take many minutes. Deterministic: the same commit ids on every run.
# REPO_MIGRATIONS and REPO_COMMITS change the two counts (default 5000 and 3000; at most two
# migrations a commit, so 10,000 migrations need about 6,000 commits).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
OUT=$1
if [[ -e $OUT && -n $(ls -A "$OUT") ]]; then
  echo "$0: $OUT is not empty; give a new folder" >&2
  exit 2
fi
command -v git >/dev/null || { echo "$0: git is missing" >&2; exit 2; }
export LC_ALL=C  # awk's length() in bytes, as fast-import's `data` counts them

mkdir -p "$OUT"
git init --quiet --initial-branch=main "$OUT"

awk -v COMMITS="${REPO_COMMITS:-3000}" -v MIGRATIONS="${REPO_MIGRATIONS:-5000}" \
  -v OTHERS=20000 -v FIRST_OTHERS=12000 '
# Days since 1970-01-01 -> "YYYYMMDD" (Howard Hinnant civil_from_days; non-negative days).
function civil(z,    era, doe, yoe, doy, mp, d, m, y) {
  z += 719468
  era = int(z / 146097)
  doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400
  doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153)
  d = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9
  return sprintf("%04d%02d%02d", y + (m <= 2), m, d)
}
# The id of migration n: 2024-01-01 00:00 UTC (day 19723) plus 17 minutes per migration.
function mig_id(n,    minutes) {
  minutes = 17 * n
  return civil(19723 + int(minutes / 1440)) sprintf("%02d%02d", int((minutes % 1440) / 60), minutes % 60)
}
function mig_stem(n) { return mig_id(n) "_create_" NOUNS[n % 10] "_" n }
function mig_path(n) { return "migrations/" mig_stem(n) ".sql" }
function mig_text(n, revision,    t, table) {
  table = NOUNS[n % 10] "_" n
  t = "-- Create the " table " table.\n--\n-- Synthetic workload for bench/: a table and an index.\n"
  if (n > 0) t = t "-- depends: " mig_stem(n - 1) "\n"
  t = t "-- migrate:up\nCREATE TABLE " table " (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n"
  t = t "  amount INTEGER NOT NULL DEFAULT 0\n);\nCREATE INDEX " table "_name ON " table " (name);\n"
  if (revision > 0) t = t "-- Reviewed in commit " revision ".\n"
  return t "\n-- migrate:down\nDROP INDEX " table "_name;\nDROP TABLE " table ";\n"
}
# Other file k: 400 folders, three or four levels deep, of about 50 files each.
function other_path(k,    d) {
  d = k % 400
  return TOPS[d % 5] "/pkg" int(d / 5) % 16 "/part" int(d / 80) "/file_" k EXTS[d % 5]
}
function other_text(k, revision) {
  return "# file " k ", revision " revision "\n" FILLER
}
function data(text) { printf "data %d\n%s\n", length(text), text }
function file(path, text) {
  printf "M 100644 inline %s\n", path
  data(text)
}
# A commit header on `ref`, child of mark `from` (none: a root); author by commit number.
function header(ref, mark, from, message, merge,    who, when) {
  who = AUTHORS[mark % 8]
  when = 1704067200 + 3600 * mark  # 2024-01-01 plus an hour per commit
  printf "commit %s\nmark :%d\n", ref, mark
  printf "author %s %d +0000\ncommitter %s %d +0000\n", who, when, who, when
  data(message)
  if (from) printf "from :%d\n", from
  if (merge) printf "merge :%d\n", merge
}
# Adds the next `count` migrations (and points migrations/HEAD at the last), recording the
# changes in CHANGES when `record` (a side branch, replayed by its merge).
function add_migrations(count, record,    j, path, text) {
  for (j = 0; j < count; j++) {
    path = mig_path(next_mig); text = mig_text(next_mig, 0)
    file(path, text)
    if (record) { CHANGES[++nchanges] = path; CHANGE_TEXT[nchanges] = text }
    next_mig++
  }
  text = mig_stem(next_mig - 1) "\n"
  file("migrations/HEAD", text)
  if (record) { CHANGES[++nchanges] = "migrations/HEAD"; CHANGE_TEXT[nchanges] = text }
}
# Adds the other files commit `mark` is due (the ones after FIRST_OTHERS spread evenly over
# the commits) and edits `edits` existing ones.
function touch_others(edits, mark, record,    j, k, due, path, text) {
  due = int(mark * (OTHERS - FIRST_OTHERS) / COMMITS) - int((mark - 1) * (OTHERS - FIRST_OTHERS) / COMMITS)
  for (j = 0; j < due + edits; j++) {
    k = j < due ? next_other++ : (mark * 7919 + j * 104729) % FIRST_OTHERS
    path = other_path(k); text = other_text(k, mark)
    file(path, text)
    if (record) { CHANGES[++nchanges] = path; CHANGE_TEXT[nchanges] = text }
  }
}
BEGIN {
  split("customers orders invoices products shipments payments addresses sessions reviews coupons", w, " ")
  for (i = 0; i < 10; i++) NOUNS[i] = w[i + 1]
  split("app/models app/controllers src/lib spec/unit config/locales", w, " ")
  for (i = 0; i < 5; i++) TOPS[i] = w[i + 1]
  split(".rb .rb .py .rb .yml", w, " ")
  for (i = 0; i < 5; i++) EXTS[i] = w[i + 1]
  split("Ann Bob Chloe Dmitri Esther Farid Grace Hiro", w, " ")
  for (i = 0; i < 8; i++) AUTHORS[i] = w[i + 1] " Example <" tolower(w[i + 1]) "@example.com>"
  FILLER = ""
  for (i = 0; i < 4; i++) FILLER = FILLER "# Synthetic file for the git benchmark of migrate: padding to a usual size.\n"

  # The plan: a kind per commit. m: migrations (and a few other files), o: other files only,
  # b: a side-branch commit with migrations, w: a main commit while the branch is open, j: the
  # merge joining them.
  n = 1; kind[1] = "m"
  while (n < COMMITS) {
    if (n % 60 == 0 && n + 4 <= COMMITS) { kind[++n] = "b"; kind[++n] = "b"; kind[++n] = "w"; kind[++n] = "j" }
    else kind[++n] = (n % 10 == 0 ? "o" : "m")
  }
  # Migrations per commit: one per m or b commit, and a second one in as many of them, spread
  # evenly, as it takes to reach MIGRATIONS.
  slots = 0
  for (c = 1; c <= n; c++) if (kind[c] == "m" || kind[c] == "b") slots++
  extra = MIGRATIONS - slots
  if (extra < 0 || extra > slots) { print "generate_repo: the plan does not fit" > "/dev/stderr"; exit 1 }

  next_mig = 0; next_other = 0; slot = 0; main_tip = 0
  for (c = 1; c <= n; c++) {
    k = kind[c]
    count = 0
    if (k == "m" || k == "b") { count = 1 + (int((slot + 1) * extra / slots) > int(slot * extra / slots)); slot++ }
    if (c == 1) {
      header("refs/heads/main", c, 0, "Start the application", 0)
      for (j = 0; j < FIRST_OTHERS; j++) { file(other_path(j), other_text(j, 1)) }
      next_other = FIRST_OTHERS
      touch_others(0, c, 0)
      add_migrations(count, 0)
      main_tip = c
    } else if (k == "m" || k == "o") {
      header("refs/heads/main", c, main_tip, (k == "m" ? "Add " count " migration" (count > 1 ? "s" : "") " and their models" : "Work on the application (no migration)") " (commit " c ")", 0)
      if (k == "m") add_migrations(count, 0)
      touch_others(1 + c % 3, c, 0)
      if (k == "m" && c % 100 == 1 && next_mig > 10) {  # fix an older migration
        old = (c * 31) % (next_mig - 1)
        file(mig_path(old), mig_text(old, c))
      }
      main_tip = c
    } else if (k == "b") {
      if (kind[c - 1] != "b") { nchanges = 0; fork = main_tip; branch_tip = fork }
      header("refs/heads/topic", c, branch_tip, "Side branch: add " count " migration" (count > 1 ? "s" : "") " (commit " c ")", 0)
      add_migrations(count, 1)
      touch_others(0, c, 1)
      branch_tip = c
    } else if (k == "w") {
      header("refs/heads/main", c, main_tip, "Work on main while the side branch is open (commit " c ")", 0)
      touch_others(1, c, 0)
      main_tip = c
    } else {
      header("refs/heads/main", c, main_tip, "Merge the side branch (commit " c ")", branch_tip)
      touch_others(0, c, 0)
      for (j = 1; j <= nchanges; j++) file(CHANGES[j], CHANGE_TEXT[j])
      main_tip = c
    }
  }
  if (next_mig != MIGRATIONS || next_other != OTHERS) {
    printf "generate_repo: made %d migrations and %d other files\n", next_mig, next_other > "/dev/stderr"
    exit 1
  }
  printf "reset refs/remotes/origin/main\nfrom :%d\n\ndone\n", main_tip
}' | git -C "$OUT" fast-import --quiet --done

git -C "$OUT" update-ref -d refs/heads/topic
[[ $(git -C "$OUT" rev-parse main) == $(git -C "$OUT" rev-parse origin/main) ]] ||
  { echo "$0: the import did not complete" >&2; exit 1; }
git -C "$OUT" remote add origin https://example.invalid/app.git
git -C "$OUT" branch --quiet --set-upstream-to=origin/main main
# As a clone that has been used for a while: packed (fast-import's pack is not delta-optimal),
# then the work tree and the index written.
git -C "$OUT" repack -a -d -q
git -C "$OUT" reset --quiet --hard main
printf '%s: %s commits, %s migrations, %s files\n' "$OUT" \
  "$(git -C "$OUT" rev-list --count HEAD)" "$(ls "$OUT"/migrations/*.sql | wc -l)" \
  "$(git -C "$OUT" ls-files | wc -l)" >&2
