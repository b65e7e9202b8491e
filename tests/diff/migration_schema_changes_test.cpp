// Each migration's schema change, from a development database's catalog before and after its
// up section: SQLite in memory, PostgreSQL on the test server as dev-database.
#include <catch2/catch.hpp>

#include <string>

#include "diff/dev_database.hpp"
#include "diff/migration_schema_changes.hpp"
#include "support/migration_builder.hpp"
#include "support/postgres.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

RevisionGraph three_steps(const std::string& second_up) {
  return RevisionGraph({make_migration("1", {}, "CREATE TABLE users (id INTEGER PRIMARY KEY);"),
                        make_migration("2", {{"1"}}, second_up),
                        make_migration("3", {{"2"}},
                                       "CREATE INDEX users_id ON users (id);"
                                       "CREATE TABLE audit (at TEXT);")});
}

}  // namespace

TEST_CASE("migration_schema_changes: what each migration adds, alters and drops",
          "[diff][schema_changes]") {
  DevDatabases dev("sqlite", "");
  RevisionGraph graph = three_steps("ALTER TABLE users ADD COLUMN phone TEXT;");
  std::vector<MigrationSchemaChange> changes = migration_schema_changes(graph, dev, {});
  REQUIRE(changes.size() == 3);
  REQUIRE(changes[0].changes.size() == 1);
  CHECK(changes[0].changes[0].object == "table users");
  CHECK(changes[0].changes[0].kind == ObjectChange::Kind::added);

  REQUIRE(changes[1].changes.size() == 1);
  CHECK(changes[1].changes[0].kind == ObjectChange::Kind::altered);
  CHECK_THAT(changes[1].changes[0].after, Contains("phone"));
  CHECK(changes[1].tables == std::vector<std::string>{"users"});

  CHECK(changes[2].tables == std::vector<std::string>{"audit", "users"});
  for (const MigrationSchemaChange& change : changes) {
    CHECK(change.error.empty());
    for (const ObjectChange& object : change.changes) {
      CHECK_THAT(object.object, !Contains(std::string(kDevStateTable)));
    }
  }
}

TEST_CASE(
    "migration_schema_changes: a data-only migration changes no object, a failing one names "
    "its error and the next is still read",
    "[diff][schema_changes]") {
  DevDatabases dev("sqlite", "");
  SECTION("data only") {
    std::vector<MigrationSchemaChange> changes =
        migration_schema_changes(three_steps("INSERT INTO users (id) VALUES (1);"), dev, {});
    CHECK(changes[1].changes.empty());
    CHECK(changes[1].error.empty());
    CHECK(changes[2].tables == std::vector<std::string>{"audit", "users"});
  }
  SECTION("failing") {
    std::vector<MigrationSchemaChange> changes =
        migration_schema_changes(three_steps("ALTER TABLE nowhere ADD COLUMN x TEXT;"), dev, {});
    CHECK_THAT(changes[1].error, Contains("nowhere"));
    CHECK(changes[1].changes.empty());
    // 3 needs 2, which is not applied: the planner applies 2 again first, and it fails again.
    CHECK_FALSE(changes[2].error.empty());
  }
}

TEST_CASE("migration_schema_changes on PostgreSQL", "[diff][schema_changes][postgres]") {
  PostgresDatabase server;  // the test cluster: development databases are made on it
  DevDatabases dev("postgresql", server.url());
  RevisionGraph graph(
      {make_migration("1", {}, "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE t (m mood);"),
       make_migration("2", {{"1"}}, "ALTER TYPE mood ADD VALUE 'sad';")});
  std::vector<MigrationSchemaChange> changes = migration_schema_changes(graph, dev, {});
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].tables == std::vector<std::string>{"public.t"});
  REQUIRE(changes[1].changes.size() == 1);
  CHECK(changes[1].changes[0].object == "type public.mood");
  CHECK_THAT(changes[1].changes[0].after, Contains("'sad'"));
  CHECK(changes[1].tables.empty());
}
