// A CREATE INDEX CONCURRENTLY that failed or was killed leaves an invalid index behind
// (pg_index.indisvalid false); running the migration again then fails with "already exists".
// The message says that the index is there but invalid, and how to proceed. Against the
// throwaway cluster `make test` starts.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

const char* const kIndexMigration =
    "-- migrate:up transaction:false\n"
    "CREATE UNIQUE INDEX CONCURRENTLY t_x_unique ON t (x);\n"
    "\n"
    "-- migrate:down transaction:false\n"
    "DROP INDEX CONCURRENTLY t_x_unique;\n";

Strings validity(const PostgresDatabase& db) {
  return db.column(
      "SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('t_x_unique')");
}

}  // namespace

TEST_CASE("invalid index: the rerun of a failed CREATE INDEX CONCURRENTLY says what is wrong",
          "[e2e][postgres][invalid-index]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2)");
  // For real: over duplicate rows the unique index fails, and leaves itself behind, invalid.
  CHECK_THROWS_AS(db.exec("CREATE UNIQUE INDEX CONCURRENTLY t_x_unique ON t (x)"),
                  std::runtime_error);
  REQUIRE(validity(db) == Strings{"false"});
  Project project;
  project.add("0001_unique_x.sql", kIndexMigration);

  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("migrations/0001_unique_x.sql:2: statement 1 of 1"));
  CHECK_THAT(result.err, Contains("relation \"t_x_unique\" already exists (SQLSTATE 42P07)"));
  CHECK_THAT(result.err, Contains("migrate: the index public.t_x_unique exists but is invalid "
                                  "(pg_index.indisvalid is false)"));
  CHECK_THAT(result.err, Contains("Drop it with DROP INDEX CONCURRENTLY public.t_x_unique; then "
                                  "run again"));
  CHECK_THAT(result.err, Contains("IF NOT EXISTS would keep the invalid index"));
  // Nothing changed but the claim on the migration: still invalid, 0 of 1 statements done.
  CHECK(validity(db) == Strings{"false"});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"0", "1"}});

  // Doing what it says (once the duplicates are gone) works.
  db.exec("DELETE FROM t WHERE x = 1");
  db.exec("DROP INDEX CONCURRENTLY public.t_x_unique");
  ProcessResult again = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(validity(db) == Strings{"true"});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"1", "1"}});
}

TEST_CASE("invalid index: a valid index of that name gets no such hint",
          "[e2e][postgres][invalid-index]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (x int); CREATE UNIQUE INDEX t_x_unique ON t (x)");
  Project project;
  project.add("0001_unique_x.sql", kIndexMigration);
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("relation \"t_x_unique\" already exists (SQLSTATE 42P07)"));
  CHECK_THAT(result.err, !Contains("invalid"));
  CHECK(validity(db) == Strings{"true"});
}
