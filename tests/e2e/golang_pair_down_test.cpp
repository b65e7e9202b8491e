// A golang-migrate pair keeps its down section in a file of its own (<version>_<name>.down.sql):
// when a statement of it fails, the message names that file and the statement's line in it,
// not the .up.sql file.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

TEST_CASE("golang-migrate pair: a failing down statement names the .down.sql file and its line",
          "[e2e][formats]") {
  Project project;
  project.add("000001_create_users.up.sql",
              "-- The users.\n"
              "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
              "CREATE TABLE sessions (id INTEGER PRIMARY KEY);\n");
  project.add("000001_create_users.down.sql",
              "-- Undo the users.\n"
              "DROP TABLE sessions;\n"
              "\n"
              "DROP TABLE no_such_table;\n"
              "DROP TABLE users;\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);

  ProcessResult down = project.run("migrate-downgrade", {"base"});
  CHECK(down.exit_code == 1);
  CHECK_THAT(down.err, Contains("migrations/000001_create_users.down.sql:4: statement 2 of 3 in "
                                "the down section of 000001_create_users failed: no such table: "
                                "no_such_table"));
  CHECK_THAT(down.err, !Contains(".up.sql"));
  // It was rolled back: still applied, every table still there.
  CHECK(applied_ids(project.db()) == Strings{"000001"});
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations", "sessions", "users"});
}

TEST_CASE("golang-migrate pair: upgrade --dry-run reads no down file, current reports a bad one",
          "[e2e][formats]") {
  Project project;
  project.add("000001_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("000001_a.down.sql", "DROP TABLE a;\n");
  project.add("000002_b.up.sql", "CREATE TABLE b (x INTEGER);\n");
  // A down file no command may read without noticing: a NUL byte is refused where it is read.
  project.add("000002_b.down.sql", std::string("DROP TABLE b;\0\n", 15));
  // current keeps outlines, shared with history, which know whether each down section is
  // blank: it reads the down files, and says what is wrong with one, as history does.
  for (const char* tool : {"migrate-current", "migrate-history"}) {
    ProcessResult read = project.run(tool);
    CHECK(read.exit_code == 2);
    CHECK_THAT(read.err, Contains("000002_b.down.sql:1: a NUL byte"));
  }
  ProcessResult dry = project.run("migrate-upgrade", {"--dry-run"});
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Contains("2. apply  000002_b"));
  // A run stores each down section: it reads them, and refuses the bad one before anything runs.
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("000002_b.down.sql"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}
