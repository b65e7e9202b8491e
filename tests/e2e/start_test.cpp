// What a tool loads when it starts (util/module.hpp): the client libraries of PostgreSQL only
// when a PostgreSQL database is opened. The dynamic loader's own trace (LD_DEBUG=files) says
// which libraries a process loaded.
#include <catch2/catch.hpp>

#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

ProcessResult traced(const Project& project, std::string_view tool,
                     const std::vector<std::string>& args) {
  return project.run(tool, args, {.env = {{"LD_DEBUG", "files"}}});
}

}  // namespace

TEST_CASE("start: a tool loads libpq only to open a PostgreSQL database", "[e2e][start]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  SECTION("--version") {
    ProcessResult result = traced(project, "migrate-current", {"--version"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libmigrate.so"));
    CHECK_THAT(result.err, !Contains("libpq.so"));
    CHECK_THAT(result.err, !Contains("libmigrate-postgres.so"));
  }
  SECTION("SQLite") {
    ProcessResult result = traced(project, "migrate-upgrade", {});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, !Contains("libpq.so"));
  }
  SECTION("PostgreSQL") {
    PostgresDatabase database;
    ProcessResult result = traced(project, "migrate-upgrade", {"--database", database.url()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libmigrate-postgres.so"));
    CHECK_THAT(result.err, Contains("libpq.so"));
    CHECK(database.applied_ids() == std::vector<std::string>{"0001"});
  }
}
