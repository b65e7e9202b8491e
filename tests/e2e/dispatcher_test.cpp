// `migrate X` runs `migrate-X`, like git.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("dispatcher: migrate upgrade runs migrate-upgrade with its arguments",
          "[e2e][dispatcher]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x);", "DROP TABLE b;"));
  ProcessResult result = project.run("migrate", {"upgrade", "0001"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
  ProcessResult current = project.run("migrate", {"current", "--check"});
  CHECK(current.exit_code == 3);  // the tool's exit code comes through
  ProcessResult downgrade = project.run("migrate", {"downgrade", "-1"});
  CHECK(downgrade.exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
}

TEST_CASE("dispatcher: help lists the commands, unknown ones get a suggestion",
          "[e2e][dispatcher]") {
  ProcessResult help = run_tool("migrate", {"--help"});
  CHECK(help.exit_code == 0);
  for (const char* command : {"create", "upgrade", "downgrade", "current", "history"}) {
    CHECK_THAT(help.out, Contains(command));
  }
  ProcessResult typo = run_tool("migrate", {"upgarde"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("'upgarde' is not a migrate command"));
  CHECK_THAT(typo.err, Contains("Did you mean: upgrade?"));
  CHECK(run_tool("migrate", {}).exit_code == 2);
  ProcessResult sub_help = run_tool("migrate", {"upgrade", "--help"});
  CHECK(sub_help.exit_code == 0);
  CHECK_THAT(sub_help.out, Contains("migrate-upgrade"));
}

TEST_CASE("dispatcher: the verbs other tools taught users run their migrate command",
          "[e2e][dispatcher]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x);", "DROP TABLE IF EXISTS b;"));

  ProcessResult up = project.run("migrate", {"up", "0001"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});

  ProcessResult status = project.run("migrate", {"status"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("pending   1: 0002_b"));

  // stamp = upgrade --fake: recorded, nothing run. As Alembic's, it needs a revision.
  ProcessResult bare = project.run("migrate", {"stamp"});
  CHECK(bare.exit_code == 2);
  CHECK_THAT(bare.err, Contains("stamp needs a revision: `migrate stamp head`"));
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
  ProcessResult stamp = project.run("migrate", {"stamp", "0002"});
  INFO(stamp.err);
  REQUIRE(stamp.exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001", "0002"});
  CHECK(schema_objects(project.db()) == std::vector<std::string>{"a", "schema_migrations"});

  // down and rollback revert one step when no target is given.
  REQUIRE(project.run("migrate", {"down"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
  REQUIRE(project.run("migrate", {"rollback"}).exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == std::vector<std::string>{"schema_migrations"});

  // `new` creates; it is not mistaken for a typo of `web`.
  ProcessResult created = project.run("migrate", {"new", "add c"});
  INFO(created.err);
  CHECK(created.exit_code == 0);
  CHECK_THAT(created.out, Contains("_add_c.sql"));
  CHECK_THAT(created.err, !Contains("Did you mean"));
}

TEST_CASE("dispatcher: --help lists the aliases and what they run", "[e2e][dispatcher]") {
  ProcessResult help = run_tool("migrate", {"--help"});
  REQUIRE(help.exit_code == 0);
  for (const char* line :
       {"new        = create", "status     = current", "up         = upgrade",
        "down       = downgrade", "rollback   = downgrade", "stamp      = upgrade --fake"}) {
    CHECK_THAT(help.out, Contains(line));
  }
  ProcessResult stamp_help = run_tool("migrate", {"help", "stamp"});
  CHECK_THAT(stamp_help.out + stamp_help.err, Contains("migrate-upgrade"));
  ProcessResult typo = run_tool("migrate", {"stmap"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("Did you mean: stamp?"));
}

TEST_CASE("dispatcher: up N and down N, golang-migrate's step counts, are not guessed",
          "[e2e][dispatcher]") {
  Project project;
  for (int i = 1; i <= 4; ++i) {
    project.add(fmt::format("{}_t{}.up.sql", i, i), fmt::format("CREATE TABLE t{} (x);\n", i));
    project.add(fmt::format("{}_t{}.down.sql", i, i), fmt::format("DROP TABLE t{};\n", i));
  }
  REQUIRE(project.run("migrate", {"up"}).exit_code == 0);
  // golang-migrate's `down 1` is one step; migrate's revision 1 keeps 1 and reverts 2-4.
  ProcessResult down = project.run("migrate", {"down", "1"});
  CHECK(down.exit_code == 2);
  CHECK_THAT(down.err, Contains("migrate down 1: 1 steps, or the migration with id 1? Write -1 "
                                "for steps, or the migration's file stem"));
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(project.run("migrate", {"down", "-1"}).exit_code == 0);
  CHECK(project.run("migrate", {"down", "2_t2"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"1", "2"});
  ProcessResult up = project.run("migrate", {"up", "1"});
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("Write +1 for steps"));
  // The tools themselves keep migrate's meaning: a revision.
  CHECK(project.run("migrate-downgrade", {"1"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"1"});
}

TEST_CASE("dispatcher: __complete commands lists commands and aliases for shells and man pages",
          "[e2e][dispatcher]") {
  ProcessResult table = run_tool("migrate", {"__complete", "commands"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("create\twrite a new migration file"));
  CHECK_THAT(table.out, Catch::Contains("\nupgrade\tapply pending migrations up to a target"));
  CHECK_THAT(table.out, Catch::Contains("\nup\t= upgrade (dbmate, golang-migrate, goose)\n"));
  // Each line a name and a summary; each command's executable exists.
  std::size_t lines = 0;
  for (std::size_t start = 0; start < table.out.size(); ++lines) {
    std::size_t end = table.out.find('\n', start);
    std::string line = table.out.substr(start, end - start);
    std::size_t tab = line.find('\t');
    INFO(line);
    REQUIRE(tab != std::string::npos);
    if (line[tab + 1] != '=') {
      CHECK(std::filesystem::exists(tool_path("migrate-" + line.substr(0, tab))));
    }
    start = end + 1;
  }
  CHECK(lines > 20);
  // Hidden, and strict about its use.
  CHECK_THAT(run_tool("migrate", {"--help"}).out, !Catch::Contains("__complete"));
  ProcessResult bad = run_tool("migrate", {"__complete"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("usage: migrate __complete commands"));
}
