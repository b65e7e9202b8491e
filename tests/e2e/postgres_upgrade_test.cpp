// The daily loop on a real PostgreSQL server (the cluster `make test` starts).
#include <catch2/catch.hpp>

#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

TEST_CASE("postgres: upgrade, current, downgrade on a real server", "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_create_users.sql",
              migration_text("CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);",
                             "DROP TABLE users;"));
  project.add("0002_add_function.sql",
              migration_text("CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS $$\n"
                             "  SELECT count(*) FROM users; -- a semicolon inside the body\n$$;",
                             "DROP FUNCTION user_count();"));
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001", "0002"});
  CHECK(db.relations() == Strings{"schema_migrations", "users"});
  CHECK(db.column("SELECT user_count()") == Strings{"0"});

  ProcessResult current = project.run("migrate-current", {"--database", db.url(), "--check"});
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("0002_add_function (head)"));

  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "base"}).exit_code == 0);
  CHECK(db.applied_ids().empty());
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("postgres: a failing statement names file, line, statement and the server's error",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("INSERT INTO a VALUES (1);\n"
                                           "INSERT INTO a\n"
                                           "  SELECT xx FROM a;",
                                           "DELETE FROM a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 1);
  // The server points at "xx" on the statement's 2nd line: line 4 of the file.
  CHECK_THAT(result.err, Contains("migrations/0002_b.sql:4: statement 2 of 2"));
  CHECK_THAT(result.err, Contains("column \"xx\" does not exist (SQLSTATE 42703)"));
  CHECK_THAT(result.err, Contains("hint: Perhaps you meant to reference the column \"a.x\""));
  CHECK(db.applied_ids() == Strings{"0001"});
  CHECK(db.column("SELECT count(*) FROM a") == Strings{"0"});
}

TEST_CASE("postgres: the server's detail is shown", "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int UNIQUE);\n"
                                           "INSERT INTO a VALUES (1);\n"
                                           "INSERT INTO a VALUES (1);",
                                           "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("migrations/0001_a.sql:4: statement 3 of 3"));
  CHECK_THAT(result.err, Contains("(SQLSTATE 23505)"));
  CHECK_THAT(result.err, Contains("detail: Key (x)=(1) already exists."));
  CHECK(db.relations().empty() == false);
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("postgres: a syntax error anywhere in the plan stops it before anything runs",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  project.add("0003_typo.sql",
              migration_text("CREATE TABLE c (x int);\n\nCREAT TABLE d (x int);", "DROP TABLE c;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0003_typo.sql:4: the up section of 0003_typo does "
                                  "not parse: syntax error at or near \"CREAT\""));
  CHECK_THAT(result.err, Contains("Nothing was run"));
  CHECK(db.relations() == Strings{"schema_migrations"});
  CHECK(db.applied_ids().empty());
  // No heading announces steps that never ran.
  CHECK_THAT(result.out, !Contains("Upgrading"));
  CHECK_THAT(result.out, !Contains("apply"));
}

TEST_CASE("postgres: foreign_keys:off is SQLite's and says so", "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", "-- migrate:up foreign_keys:off\nCREATE TABLE a (x int);\n");
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("0001_a: foreign_keys:off is SQLite's switch for table "
                                  "rebuilds and does nothing here"));
  CHECK(db.applied_ids() == Strings{"0001"});
}
