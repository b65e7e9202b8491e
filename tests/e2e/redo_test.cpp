// migrate-redo, the edit loop on a development database: revert with the stored down SQL, then
// apply the file as it is now. Real SQLite files and the PostgreSQL cluster.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fmt/format.h>

#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

Strings columns(const Project& project, const std::string& table) {
  return sqlite_column(project.db(),
                       fmt::format("SELECT name FROM pragma_table_info('{}')", table));
}

/// 0001_a, 0002_b and 0003_c (b depends on a, c on b), applied; then 0002_b edited to add the
/// column y.
void apply_three_then_edit_the_second(const Project& project) {
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  project.add("0003_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_b.sql",
              migration_text("CREATE TABLE b (x INTEGER, y INTEGER);", "DROP TABLE b;"));
}

}  // namespace

TEST_CASE("redo: an applied migration edited afterwards is reverted and applied as it is now",
          "[e2e][redo]") {
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a INTEGER);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::string before = sqlite_column(project.db(), "SELECT checksum FROM schema_migrations")[0];
  // The edit renames the table too, so the file's new down would fail on the old schema.
  project.add("0001_t.sql",
              migration_text("CREATE TABLE t2 (a INTEGER, b TEXT);", "DROP TABLE t2;"));

  ProcessResult changed = project.run("migrate-upgrade");
  CHECK(changed.exit_code == 3);
  CHECK_THAT(changed.err, Contains("`migrate redo 0001`"));

  ProcessResult redone = project.run("migrate-redo");
  INFO(redone.err);
  REQUIRE(redone.exit_code == 0);
  CHECK_THAT(redone.out, Contains("Redoing sqlite:migrate.db: 2 steps"));
  CHECK_THAT(redone.out, Contains("revert 0001_t"));
  CHECK_THAT(redone.out, Contains("apply  0001_t"));
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations", "t2"});
  CHECK(columns(project, "t2") == Strings{"a", "b"});
  std::string after = sqlite_column(project.db(), "SELECT checksum FROM schema_migrations")[0];
  CHECK(after != before);
  CHECK(sqlite_column(project.db(), "SELECT down_sql FROM schema_migrations") ==
        Strings{"-- migrate:down\nDROP TABLE t2;"});
  ProcessResult current = project.run("migrate-current", {"--check"});
  CHECK(current.exit_code == 0);
}

TEST_CASE("redo ID redoes it and every applied migration that depends on it", "[e2e][redo]") {
  Project project;
  apply_three_then_edit_the_second(project);
  ProcessResult plan = project.run("migrate-redo", {"0002", "--dry-run"});
  CHECK_THAT(plan.out, Contains("1. revert 0003_c"));
  CHECK_THAT(plan.out, Contains("2. revert 0002_b"));
  CHECK_THAT(plan.out, Contains("3. apply  0002_b"));
  CHECK_THAT(plan.out, Contains("4. apply  0003_c"));
  ProcessResult redone = project.run("migrate-redo", {"0002"});
  INFO(redone.err);
  REQUIRE(redone.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003"});
  CHECK(columns(project, "b") == Strings{"x", "y"});
}

TEST_CASE("redo: bad targets are refused before anything changes (exit 2)", "[e2e][redo]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  struct Case {
    Strings args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"0002"}, "redo 0002: 0002_b is pending here, so there is nothing to take back"},
           {{"0009"}, "unknown revision '0009'"},
           {{"-2"}, "redo -2: only 1 migration is applied here: use -1, or an id"},
           {{"+1"}, "redo +1: redo takes back applied migrations"},
           {{"base"}, "redo base: name what to redo"},
       }) {
    INFO(c.args[0]);
    ProcessResult result = project.run("migrate-redo", c.args);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains(c.message));
    CHECK(applied_ids(project.db()) == Strings{"0001"});
  }
  // An orphan (its file gone) can be reverted by downgrade, but not applied again.
  std::filesystem::remove(project.migrations() / "0002_b.sql");
  std::filesystem::rename(project.migrations() / "0001_a.sql", project.migrations() / "0003_x.sql");
  project.add("0003_x.sql", migration_text("CREATE TABLE x (x INTEGER);"));
  ProcessResult orphan = project.run("migrate-redo");
  CHECK(orphan.exit_code == 2);
  CHECK_THAT(orphan.err, Contains("0001 \"a\" has no file here"));
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
}

TEST_CASE("redo: a migration applied without a down section cannot be redone", "[e2e][redo]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", std::nullopt));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-redo");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0001_a.sql was applied without a down section"));
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
}

TEST_CASE("redo: a new up section that fails leaves the migration reverted and pending",
          "[e2e][redo]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add(
      "0001_a.sql",
      migration_text("CREATE TABLE a (x INTEGER);\nINSERT INTO nope VALUES (1);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-redo");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Contains("revert 0001_a"));
  CHECK_THAT(result.out, Contains("failed"));
  CHECK_THAT(result.err, Contains("no such table: nope"));
  CHECK_THAT(result.err, Contains("the 1 step before it in this run stays done"));
  CHECK_THAT(result.err, Contains("note: 0001_a is reverted and pending now: fix its up section, "
                                  "then `migrate upgrade` applies it"));
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
  // --single-transaction makes it all or nothing.
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add(
      "0001_a.sql",
      migration_text("CREATE TABLE a (x INTEGER);\nINSERT INTO nope VALUES (1);", "DROP TABLE a;"));
  ProcessResult atomic = project.run("migrate-redo", {"--single-transaction"});
  CHECK(atomic.exit_code == 1);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
}

TEST_CASE("redo on PostgreSQL, with the migration lock held through both steps",
          "[e2e][redo][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  project.add("0001_t.sql", migration_text("CREATE TABLE t2 (a int, b text);", "DROP TABLE t2;"));
  ProcessResult result = project.run("migrate-redo", {"--database", db.url()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(db.relations() == Strings{"schema_migrations", "t2"});
  CHECK(db.applied_ids() == Strings{"0001"});
}

TEST_CASE("redo without a target redoes what was edited, not just the last one", "[e2e][redo]") {
  Project project;
  apply_three_then_edit_the_second(project);
  ProcessResult redone = project.run("migrate-redo");
  INFO(redone.err);
  REQUIRE(redone.exit_code == 0);
  CHECK_THAT(redone.err, Contains("redoing 0002_b: edited since it was applied"));
  CHECK_THAT(redone.out, Contains("revert 0003_c"));
  CHECK_THAT(redone.out, Contains("revert 0002_b"));
  CHECK(columns(project, "b") == Strings{"x", "y"});
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 0);
  // Nothing edited: the last one applied.
  ProcessResult last = project.run("migrate-redo");
  CHECK_THAT(last.out, Contains("Redoing sqlite:migrate.db: 2 steps"));
  CHECK_THAT(last.out, Contains("revert 0003_c"));
  CHECK_THAT(last.out, !Contains("0002_b"));
}

TEST_CASE("redo refuses a migration applied under its id by another branch", "[e2e][redo]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_other_branch.sql",
              migration_text("CREATE TABLE theirs (x INTEGER);", "DROP TABLE theirs;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // This branch's 0002, another migration with the same id, replaces the file here.
  std::filesystem::remove(project.migrations() / "0002_other_branch.sql");
  project.add("0002_mine.sql",
              migration_text("CREATE TABLE mine (x INTEGER);", "DROP TABLE mine;"));
  Strings before = schema_objects(project.db());
  for (const Strings& args : {Strings{}, Strings{"0002"}}) {
    ProcessResult result = project.run("migrate-redo", args);
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("0002_mine was applied as \"other branch\", the file is "
                                    "\"mine\": another migration with the same id"));
    CHECK_THAT(result.err, Contains("`migrate renumber`"));
    CHECK_THAT(result.err, Contains(args.empty() ? "cannot redo the edited migrations:"
                                                 : "cannot redo '0002':"));
    CHECK(schema_objects(project.db()) == before);
  }
}

TEST_CASE("redo stopped with Ctrl-C in its new up section says the migration is reverted",
          "[e2e][redo][stop]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  project.add("0001_t.sql",
              migration_text("CREATE TABLE t (a int);\nSELECT pg_sleep(60);", "DROP TABLE t;"));
  RunningProcess redo = project.start("migrate-redo", {"--database", db.url()});
  REQUIRE(eventually([&] {
    return db.column(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
               "AND query LIKE 'SELECT pg_sleep(60)%'") == Strings{"1"};
  }));
  redo.kill(SIGINT);
  ProcessResult result = redo.wait();
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("interrupted (Ctrl-C) at statement 2 of 2 in the up section"));
  CHECK_THAT(result.err, Contains("note: 0001_t is reverted, and its up section did not finish: "
                                  "`migrate upgrade` finishes it"));
  CHECK(db.applied_ids().empty());
}
