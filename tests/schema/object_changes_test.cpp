// What a change does to a schema, object by object, read from real catalogs (SQLite in memory,
// the test server's PostgreSQL): the web page's "schema change" of a migration.
#include <catch2/catch.hpp>

#include <string>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "schema/object_changes.hpp"
#include "support/postgres.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::PostgresDatabase;

namespace {

SchemaModel sqlite_schema(const std::string& sql) {
  std::unique_ptr<Connection> db = open_database(parse_database_url("sqlite::memory:", "/"), {});
  if (!sql.empty()) {
    db->execute(sql);
  }
  return read_schema(*db, {});
}

SchemaModel postgres_schema(const std::string& sql) {
  PostgresDatabase database;
  if (!sql.empty()) {
    database.exec(sql);
  }
  std::unique_ptr<Connection> db = open_database(parse_database_url(database.url(), "/"), {});
  return read_schema(*db, {});
}

const ObjectChange& change_of(const std::vector<ObjectChange>& changes, const std::string& key) {
  for (const ObjectChange& change : changes) {
    if (change.object == key) {
      return change;
    }
  }
  FAIL("no change of " << key);
  throw;
}

}  // namespace

TEST_CASE("object_changes: equal schemas change nothing", "[schema][object_changes]") {
  SchemaModel a =
      sqlite_schema("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE INDEX i ON a (id)");
  CHECK(object_changes(a, a).empty());
  CHECK(object_changes(SchemaModel{.engine = "sqlite"}, SchemaModel{.engine = "sqlite"}).empty());
}

TEST_CASE("object_changes: added, altered and dropped objects with their definitions",
          "[schema][object_changes]") {
  SchemaModel before = sqlite_schema(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
      "CREATE TABLE old (id INTEGER);"
      "CREATE INDEX old_id ON old (id);");
  SchemaModel after = sqlite_schema(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, phone TEXT);"
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));"
      "CREATE INDEX orders_user ON orders (user_id);"
      "CREATE VIEW names AS SELECT name FROM users;");
  std::vector<ObjectChange> changes = object_changes(before, after);
  REQUIRE(changes.size() == 6);

  const ObjectChange& users = change_of(changes, "table users");
  CHECK(users.kind == ObjectChange::Kind::altered);
  CHECK(users.table == "users");
  CHECK_THAT(users.after, Contains("phone"));
  CHECK_THAT(users.before, !Contains("phone"));

  const ObjectChange& index = change_of(changes, "index orders_user");
  CHECK(index.kind == ObjectChange::Kind::added);
  CHECK(index.table == "orders");  // an index belongs to its table
  CHECK(index.before.empty());
  CHECK_THAT(index.after, Contains("CREATE INDEX"));

  const ObjectChange& view = change_of(changes, "view names");
  CHECK(view.kind == ObjectChange::Kind::added);
  CHECK(view.table.empty());  // a view is no table's

  const ObjectChange& dropped = change_of(changes, "index old_id");
  CHECK(dropped.kind == ObjectChange::Kind::dropped);
  CHECK(dropped.table == "old");  // the table is gone too, and still named
  CHECK(dropped.after.empty());
  CHECK(change_of(changes, "table old").kind == ObjectChange::Kind::dropped);

  // Added ones in the order a database can create them (the table before its index), dropped
  // ones last.
  CHECK(changes.front().object == "table orders");
  CHECK(changes.back().kind == ObjectChange::Kind::dropped);
  CHECK(changed_tables(changes) == std::vector<std::string>{"old", "orders", "users"});
}

TEST_CASE("object_changes: PostgreSQL constraints, types and sequences are objects of their own",
          "[schema][object_changes][postgres]") {
  SchemaModel before = postgres_schema("CREATE TABLE t (id integer NOT NULL)");
  SchemaModel after = postgres_schema(
      "CREATE TYPE mood AS ENUM ('ok', 'sad');"
      "CREATE SEQUENCE counter;"
      "CREATE TABLE t (id integer NOT NULL, m mood);"
      "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id);");
  std::vector<ObjectChange> changes = object_changes(before, after);
  CHECK(change_of(changes, "type public.mood").kind == ObjectChange::Kind::added);
  CHECK(change_of(changes, "sequence public.counter").kind == ObjectChange::Kind::added);
  CHECK(change_of(changes, "table public.t").kind == ObjectChange::Kind::altered);
  const ObjectChange& key = change_of(changes, "constraint public.t.t_pkey");
  CHECK(key.kind == ObjectChange::Kind::added);
  CHECK(key.table == "public.t");
  CHECK_THAT(key.after, Contains("PRIMARY KEY"));
  CHECK(changed_tables(changes) == std::vector<std::string>{"public.t"});
}
