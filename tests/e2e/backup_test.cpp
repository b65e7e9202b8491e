// --backup, end to end: without pg_dump on PATH the upgrade says what to install and changes
// nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("backup: without pg_dump on PATH, says what to install and changes nothing",
          "[e2e][backup][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  std::filesystem::path empty = project.root() / "empty-bin";
  std::filesystem::create_directories(empty);
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url(), "--backup"},
                                     {.env = {{"PATH", empty.string()}}});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("--backup runs pg_dump, which is not on PATH"));
  CHECK_THAT(result.err, Contains("apt-get install postgresql-client"));
  CHECK_THAT(result.err, Contains("Nothing was changed"));
  // Untouched: not even the state table, and no archive.
  CHECK(db.relations().empty());
  for (const auto& entry : std::filesystem::directory_iterator(project.root())) {
    CHECK(entry.path().extension() != ".dump");
  }
}
