// `migrate X` runs `migrate-X`, like git.
#include <catch2/catch.hpp>

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

TEST_CASE("dispatcher: help lists the commands; unknown ones get a suggestion",
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
