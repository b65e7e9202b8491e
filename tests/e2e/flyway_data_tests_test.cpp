// A Flyway folder's tests/ subfolder is migrate-verify's: a file there that Flyway would run as a
// migration is named in a warning, never run silently or skipped silently; a data test named
// after its migration is no such file.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("flyway: a migration under tests/ is named in a warning, a data test is not",
          "[e2e][flyway][verify]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (id INTEGER);\n");
  write_text(project.migrations() / "tests" / "V1__a.sql", "-- after:\nSELECT 1;\n");
  ProcessResult quiet = project.run("migrate-upgrade");
  INFO(quiet.err);
  REQUIRE(quiet.exit_code == 0);
  CHECK_THAT(quiet.err, !Contains("tests/"));

  write_text(project.migrations() / "tests" / "V2__b.sql", "CREATE TABLE b (id INTEGER);\n");
  ProcessResult warned = project.run("migrate-upgrade");
  INFO(warned.err);
  CHECK(warned.exit_code == 0);
  CHECK_THAT(warned.err, Contains("tests/ holds migrate-verify's data tests, so these files "
                                  "named like migrations are not run: tests/V2__b.sql") &&
                             Contains("Flyway would run them"));
  CHECK(applied_ids(project.db()).size() == 1);
}
