// Folders written for other tools are read and applied as they are.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

TEST_CASE("formats: a dbmate folder (14-digit ids, migrate:up/down) applies and reverts",
          "[e2e][formats]") {
  Project project;
  project.add("20151129054053_create_users.sql",
              "-- migrate:up\ncreate table users (\n  id integer,\n  name varchar(255)\n);\n\n"
              "-- migrate:down\ndrop table users;\n");
  project.add("20151129054059_add_email.sql",
              "-- migrate:up\nalter table users add column email varchar(255);\n\n"
              "-- migrate:down\nalter table users drop column email;\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"20151129054053", "20151129054059"});
  CHECK(sqlite_column(project.db(), "SELECT name FROM pragma_table_info('users')") ==
        Strings{"id", "name", "email"});
  REQUIRE(project.run("migrate-downgrade", {"base"}).exit_code == 0);
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}

TEST_CASE("formats: a golang-migrate folder (.up.sql/.down.sql pairs) applies and reverts",
          "[e2e][formats]") {
  Project project;
  project.add("000001_create_users_table.up.sql",
              "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT);\n");
  project.add("000001_create_users_table.down.sql", "DROP TABLE IF EXISTS users;\n");
  project.add("000002_add_name.up.sql",
              "-- Add a name.\nALTER TABLE users ADD COLUMN name TEXT;\n");
  project.add("000002_add_name.down.sql", "ALTER TABLE users DROP COLUMN name;\n");
  // golang-migrate never wraps a file in a transaction, so files often carry their own.
  project.add("000003_seed.up.sql",
              "BEGIN;\nINSERT INTO users (email) VALUES ('a@example.com');\nCOMMIT;\n");
  project.add("000003_seed.down.sql", "DELETE FROM users;\n");

  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.err, Contains("000003_seed has its own BEGIN/COMMIT"));
  CHECK(applied_ids(project.db()) == Strings{"000001", "000002", "000003"});
  CHECK(sqlite_column(project.db(), "SELECT email FROM users") == Strings{"a@example.com"});
  ProcessResult history = project.run("migrate-history");
  CHECK_THAT(history.out, Contains("000002_add_name "));
  CHECK_THAT(history.out, Contains(" Add a name."));

  REQUIRE(project.run("migrate-downgrade", {"000001"}).exit_code == 0);
  CHECK(sqlite_column(project.db(), "SELECT name FROM pragma_table_info('users')") ==
        Strings{"id", "email"});
  CHECK(sqlite_column(project.db(), "SELECT count(*) FROM users") == Strings{"0"});
}

TEST_CASE("formats: a golang-migrate down file without its up file is an error", "[e2e][formats]") {
  Project project;
  project.add("000001_a.up.sql", "SELECT 1;\n");
  project.add("000002_b.down.sql", "SELECT 1;\n");
  ProcessResult result = project.run("migrate-current");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("000002_b.down.sql: a down file without its up file"));
}
