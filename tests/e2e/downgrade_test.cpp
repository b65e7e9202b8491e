// migrate-downgrade as a user runs it, against real SQLite files.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

void add_three(const Project& project) {
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
}

}  // namespace

TEST_CASE("downgrade -1 reverts the last applied migration", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"-1"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("revert 0003_create_c"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  CHECK(schema_objects(project.db()) == Strings{"a", "b", "schema_migrations"});
}

TEST_CASE("downgrade to an id keeps it and its ancestors, base reverts everything",
          "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  REQUIRE(project.run("migrate-downgrade", {"0001"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  REQUIRE(project.run("migrate-downgrade", {"base"}).exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}

TEST_CASE("downgrade through an irreversible migration is refused before anything runs",
          "[e2e][downgrade]") {
  Project project;
  project.add_example_migrations();
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"base"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Contains("202611041000_drop_legacy_slug_from_posts.sql has an empty down section"));
  CHECK_THAT(result.err, Contains("Nothing was reverted"));
  CHECK(applied_ids(project.db()).size() == 8);
}

TEST_CASE("downgrade reverts an orphan from the down SQL stored when it was applied",
          "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // Switching to a branch that does not have 0003: its file is gone, its table is not.
  std::filesystem::remove(project.migrations() / "0003_create_c.sql");
  ProcessResult current = project.run("migrate-current");
  CHECK_THAT(current.out, Contains("orphan    0003"));
  ProcessResult result = project.run("migrate-downgrade", {"-1"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  CHECK(schema_objects(project.db()) == Strings{"a", "b", "schema_migrations"});
}

TEST_CASE("downgrade: a failing down statement rolls back and keeps the migration applied",
          "[e2e][downgrade]") {
  Project project;
  project.add("0001_create_a.sql",
              migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;\nDROP TABLE nope;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"-1"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Contains("migrations/0001_create_a.sql:6: statement 2 of 2 in the down section"));
  CHECK_THAT(result.err, Contains("no such table: nope"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
}

TEST_CASE("downgrade --sql and --dry-run touch nothing", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult sql = project.run("migrate-downgrade", {"-2", "--sql"});
  CHECK(sql.exit_code == 0);
  CHECK_THAT(sql.out,
             Contains("DROP TABLE c;\nDELETE FROM \"schema_migrations\" WHERE id = '0003';"));
  CHECK_THAT(sql.out, Contains("DROP TABLE b;"));
  ProcessResult plan = project.run("migrate-downgrade", {"-2", "--dry-run"});
  CHECK(plan.exit_code == 0);
  CHECK_THAT(plan.out, Contains("1. revert 0003_create_c"));
  CHECK_THAT(plan.out, Contains("2. revert 0002_create_b"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003"});
}

TEST_CASE("downgrade: +N is refused with a pointer to upgrade (exit 2)", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  ProcessResult result = project.run("migrate-downgrade", {"+1"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrate-upgrade"));
}

TEST_CASE("downgrade with no target reverts one migration and says so", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("no target given: reverting the last applied migration"));
  CHECK_THAT(result.out, Contains("revert 0003_create_c"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
}

TEST_CASE("downgrade: head~N is a target", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"head~2"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
}

TEST_CASE("downgrade: -N past the first applied migration says how many there are (exit 2)",
          "[e2e][downgrade]") {
  Project project;
  add_three(project);
  project.add("0004_create_d.sql", migration_text("CREATE TABLE d (x INTEGER);", "DROP TABLE d;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"-5"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Contains("downgrade -5: only 4 migrations are applied here: use -4, or base"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003", "0004"});
  REQUIRE(project.run("migrate-downgrade", {"-4"}).exit_code == 0);
  ProcessResult none = project.run("migrate-downgrade");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("downgrade -1: no migration is applied here"));
}

TEST_CASE("downgrade: a down section edited after applying runs, and says it differs",
          "[e2e][downgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE nope;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // The down section was wrong; the up section is unchanged: the fixed file's down runs.
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-downgrade");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("0001_a: the down section in migrations/0001_a.sql differs "
                                  "from the one stored when it was applied; running the file's"));
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}

TEST_CASE("downgrade: a migration whose up section was edited is reverted with the stored down",
          "[e2e][downgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // Edited after it ran: the file now creates b, and its down drops b, which does not exist.
  project.add("0001_a.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  ProcessResult plan = project.run("migrate-downgrade", {"--dry-run"});
  CHECK_THAT(plan.out, Contains("reverted with the down SQL stored when it was applied"));
  ProcessResult result = project.run("migrate-downgrade");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err,
             Contains("0001_a: its up section was edited after it was applied here, "
                      "so it is reverted with the down SQL stored when it was applied"));
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
  CHECK(applied_ids(project.db()).empty());
}

TEST_CASE("downgrade to base ends with what the database has now", "[e2e][downgrade]") {
  Project project;
  add_three(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"base"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("3 reverted. sqlite:migrate.db has nothing applied.\n"));
}

TEST_CASE("downgrade --fake forgets an orphan that has no down section", "[e2e][downgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_x.sql", migration_text("CREATE TABLE x (y INTEGER);", std::nullopt));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::filesystem::remove(project.migrations() / "0002_x.sql");  // its branch went away
  ProcessResult refused = project.run("migrate-downgrade");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("was applied without a down section, and its file is not "
                                   "here"));
  CHECK_THAT(refused.err, Contains("use --fake"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  ProcessResult faked = project.run("migrate-downgrade", {"--fake"});
  INFO(faked.err);
  CHECK(faked.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations", "x"});
}

TEST_CASE("downgrade deletes a row whose id is written otherwise than its file's (1 for 0001)",
          "[e2e][downgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // Recorded by another spelling of the same number (adopted from a tool that strips zeros).
  sqlite_exec(project.db(), "UPDATE schema_migrations SET id = '1' WHERE id = '0001'");
  ProcessResult down = project.run("migrate-downgrade", {"base"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Contains("2 reverted"));
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}
