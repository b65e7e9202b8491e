// A golang-migrate folder runs as golang-migrate sends its files: a file whose statement cannot
// run in a transaction (CREATE INDEX CONCURRENTLY, VACUUM…) runs outside one, step by step with
// its progress recorded, decided by PostgreSQL's parse tree; a file with its own BEGIN/COMMIT
// runs as written; every other file in a transaction of its own. migrate's own format keeps
// its explicit `transaction:false`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

TEST_CASE("golang-migrate: CREATE/DROP INDEX CONCURRENTLY files run outside a transaction",
          "[e2e][formats][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("000001_create_t.up.sql", "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1);\n");
  project.add("000001_create_t.down.sql", "DROP TABLE t;\n");
  // The name says concurrently too: the parse tree decides, not the text.
  project.add(
      "000002_index_t.up.sql",
      "-- Built without locking writes.\nCREATE INDEX CONCURRENTLY t_concurrently ON t (x);\n");
  project.add("000002_index_t.down.sql", "DROP INDEX CONCURRENTLY t_concurrently;\n");
  project.add("000003_own_transaction.up.sql", "BEGIN;\nCREATE TABLE u (y int);\nCOMMIT;\n");
  project.add("000003_own_transaction.down.sql", "DROP TABLE u;\n");
  Strings url = {"--database", db.url()};

  ProcessResult plan = project.run("migrate-upgrade", {"--database", db.url(), "--sql"});
  INFO(plan.err);
  REQUIRE(plan.exit_code == 0);
  CHECK_THAT(plan.out, Contains("CREATE INDEX CONCURRENTLY t_concurrently ON t (x);"));

  ProcessResult up = project.run("migrate-upgrade", url);
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"000001", "000002", "000003"});
  CHECK(db.column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                  "'t_concurrently'::regclass") == Strings{"true"});
  // Recorded as a step-by-step section: one statement of one, done.
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations WHERE id = "
                "'000002'") == Rows{{"1", "1"}});

  ProcessResult down = project.run("migrate-downgrade", {"--database", db.url(), "base"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(db.applied_ids().empty());
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("golang-migrate: our own format keeps its explicit transaction:false",
          "[e2e][formats][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (x int);", "DROP TABLE t;"));
  project.add("0002_i.sql",
              migration_text("CREATE INDEX CONCURRENTLY i ON t (x);", "DROP INDEX i;"));
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains("cannot run inside a transaction block"));
  CHECK(db.applied_ids() == Strings{"0001"});
}

TEST_CASE("golang-migrate: a VACUUM file runs outside a transaction on SQLite", "[e2e][formats]") {
  Project project;
  project.add("1_t.up.sql", "CREATE TABLE t (x int);\n");
  project.add("1_t.down.sql", "DROP TABLE t;\n");
  project.add("2_tidy.up.sql", "VACUUM;\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "2"});
}
