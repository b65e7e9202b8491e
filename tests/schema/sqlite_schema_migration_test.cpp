// Migrations generated between two SQLite schemas, each tried both ways on real databases
// (diff/self_check: up must give TO, down FROM again) for every kind of change.
#include <catch2/catch.hpp>

#include <string>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/self_check.hpp"
#include "schema/schema_migration.hpp"
#include "schema/sqlite_schema_migration.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

SchemaModel schema_of(const std::string& sql) {
  std::unique_ptr<Connection> db = open_database(parse_database_url("sqlite::memory:", "/"), {});
  if (!sql.empty()) {
    db->execute(sql);
  }
  return read_schema(*db, {});
}

/// The migration from `from` to `to`, which must pass its self-check both ways.
SchemaMigration tried(const std::string& from, const std::string& to) {
  SchemaModel before = schema_of(from);
  SchemaModel after = schema_of(to);
  SchemaMigration migration = sqlite_schema_migration(before, after);
  if (migration.empty()) {
    return migration;  // nothing to try
  }
  std::string text = schema_migration_text(migration, "test");
  INFO(text);
  DevDatabases dev("sqlite", "");
  SelfCheck check = self_check(dev, before, after, text, {});
  INFO("up: " << check.up << "\ndown: " << check.down);
  CHECK(check.ok());
  return migration;
}

std::string up_text(const SchemaMigration& m) {
  std::string text;
  for (const std::string& s : m.up.statements) {
    text += s + ";\n";
  }
  return text;
}

std::vector<std::string> descriptions(const SchemaMigration& m) {
  std::vector<std::string> out;
  for (const SchemaChange& c : m.changes) {
    out.push_back(c.description + (c.hazard.empty() ? "" : " [" + c.hazard + "]"));
  }
  return out;
}

const char* const kBase = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);";

}  // namespace

TEST_CASE("sqlite_schema_migration: equal schemas need nothing", "[schema][sqlite][diff]") {
  SchemaMigration m =
      tried(kBase, "CREATE TABLE users (id integer primary key,\n email TEXT NOT NULL);");
  CHECK(m.empty());
  CHECK(m.up.statements.empty());
}

TEST_CASE("sqlite_schema_migration: tables created and dropped", "[schema][sqlite][diff]") {
  SchemaMigration created = tried(kBase, std::string(kBase) + "CREATE TABLE tags (id INTEGER);");
  CHECK(descriptions(created) == std::vector<std::string>{"create table tags"});
  CHECK_FALSE(created.up.foreign_keys_off);
  SchemaMigration dropped = tried(std::string(kBase) + "CREATE TABLE tags (id INTEGER);", kBase);
  CHECK(descriptions(dropped) ==
        std::vector<std::string>{"drop table tags [deletes-data: drops table tags and its rows]"});
  CHECK(dropped.up.foreign_keys_off);
  CHECK(dropped.destructive().size() == 1);
  CHECK_THAT(up_text(dropped), Contains("-- hazard: deletes-data: drops table tags"));
}

TEST_CASE("sqlite_schema_migration: columns SQLite can add and drop in place",
          "[schema][sqlite][diff]") {
  SchemaMigration added =
      tried(kBase,
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, "
            "active INT NOT NULL DEFAULT 1, boss INT REFERENCES users (id) ON DELETE SET NULL, "
            "shout TEXT AS (upper(email)) VIRTUAL);");
  CHECK(up_text(added) ==
        "ALTER TABLE users ADD COLUMN phone TEXT;\n"
        "ALTER TABLE users ADD COLUMN active INT NOT NULL DEFAULT 1;\n"
        "ALTER TABLE users ADD COLUMN boss INT REFERENCES users (id) ON DELETE SET NULL;\n"
        "ALTER TABLE users ADD COLUMN shout TEXT GENERATED ALWAYS AS (upper(email)) VIRTUAL;\n");
  SchemaMigration dropped =
      tried("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);", kBase);
  CHECK(
      up_text(dropped) ==
      "-- hazard: deletes-data: drops column users.phone\nALTER TABLE users DROP COLUMN phone;\n");
  CHECK_FALSE(dropped.up.foreign_keys_off);
}

TEST_CASE("sqlite_schema_migration: what ALTER TABLE cannot do is a rebuild",
          "[schema][sqlite][diff]") {
  const char* const cases[] = {
      // a type, NOT NULL, a default, a collation
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(80) NOT NULL);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT 'x');",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE NOT NULL);",
      // constraints
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL CHECK (email LIKE '%@%'));",
      "CREATE TABLE users (id INTEGER, email TEXT NOT NULL, PRIMARY KEY (id, email));",
      // a column SQLite cannot add: a non-constant default, a STORED generated column
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, at TEXT DEFAULT "
      "CURRENT_TIMESTAMP);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, e2 TEXT AS (email || "
      "'!') STORED);",
      // column order, and the table's options
      "CREATE TABLE users (email TEXT NOT NULL, id INTEGER PRIMARY KEY);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL) STRICT;",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL) WITHOUT ROWID;",
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL);",
  };
  for (const char* to : cases) {
    INFO(to);
    SchemaMigration m = tried(kBase, to);
    REQUIRE(m.changes.size() == 1);
    CHECK_THAT(m.changes[0].description, Contains("rebuild table users: "));
    CHECK(m.up.foreign_keys_off);
    CHECK_THAT(up_text(m), Contains("-- hazard: rewrites-table: rebuilds users"));
    CHECK_THAT(up_text(m), Contains("ALTER TABLE migrate_new_users RENAME TO users;"));
  }
}

TEST_CASE("sqlite_schema_migration: a rebuild keeps indexes, triggers, views and the counter",
          "[schema][sqlite][diff]") {
  std::string from =
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL);"
      "CREATE TABLE log (what TEXT);"
      "CREATE INDEX users_email ON users (email);"
      "CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log VALUES (NEW.email); "
      "END;"
      "CREATE VIEW emails AS SELECT email FROM users;"
      "CREATE TRIGGER emails_insert INSTEAD OF INSERT ON emails BEGIN INSERT INTO users (email) "
      "VALUES (NEW.email); END;";
  std::string to =
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL "
      "CHECK (email <> ''));"
      "CREATE TABLE log (what TEXT);"
      "CREATE INDEX users_email ON users (email);"
      "CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log VALUES (NEW.email); "
      "END;"
      "CREATE VIEW emails AS SELECT email FROM users;"
      "CREATE TRIGGER emails_insert INSTEAD OF INSERT ON emails BEGIN INSERT INTO users (email) "
      "VALUES (NEW.email); END;";
  SchemaMigration m = tried(from, to);
  std::string up = up_text(m);
  CHECK_THAT(up, Contains("INSERT INTO sqlite_sequence (name, seq) SELECT 'migrate_new_users', "
                          "seq FROM sqlite_sequence WHERE name = 'users';"));
  CHECK(up.find("DROP VIEW emails") < up.find("DROP TABLE users"));
  CHECK(up.find("CREATE INDEX users_email") > up.find("RENAME TO users"));
  CHECK(up.find("CREATE TRIGGER emails_insert") > up.find("CREATE VIEW emails"));
  // Only the rebuild is a change; what is made again is not.
  CHECK(m.changes.size() == 1);
}

TEST_CASE("sqlite_schema_migration: indexes, views and triggers created, changed, dropped",
          "[schema][sqlite][diff]") {
  std::string base = std::string(kBase) + "CREATE TABLE log (what TEXT);";
  SchemaMigration created = tried(
      base, base +
                "CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email <> '';"
                "CREATE VIEW v AS SELECT id FROM users;"
                "CREATE TRIGGER t AFTER DELETE ON users BEGIN INSERT INTO log VALUES (OLD.email); "
                "END;");
  CHECK(descriptions(created) ==
        std::vector<std::string>{"create view v", "create trigger t", "create index users_email"});
  std::string with =
      base + "CREATE INDEX i ON users (email); CREATE VIEW v AS SELECT id FROM users;";
  SchemaMigration changed = tried(
      with,
      base + "CREATE INDEX i ON users (email DESC); CREATE VIEW v AS SELECT email FROM users;");
  CHECK(descriptions(changed) == std::vector<std::string>{"replace view v", "replace index i"});
  SchemaMigration dropped = tried(with, base);
  CHECK(descriptions(dropped) == std::vector<std::string>{"drop view v", "drop index i"});
  CHECK(dropped.destructive().empty());
}

TEST_CASE("sqlite_schema_migration: a dropped column used by an index is a rebuild",
          "[schema][sqlite][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);"
      "CREATE INDEX users_phone ON users (phone);",
      kBase);
  CHECK_THAT(up_text(m), Contains("CREATE TABLE migrate_new_users"));
  CHECK_THAT(up_text(m), Contains("-- hazard: deletes-data: drops column users.phone"));
  CHECK(m.destructive().size() == 1);
}

TEST_CASE("sqlite_schema_migration: a new NOT NULL column without a default is named",
          "[schema][sqlite][diff]") {
  SchemaMigration m = tried(kBase,
                            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
                            "name TEXT NOT NULL);");
  CHECK_THAT(descriptions(m).front(),
             Contains("new column users.name is NOT NULL without a default [fails-on-data: "));
}

TEST_CASE("sqlite_schema_migration: views on views and triggers on views survive a rebuild",
          "[schema][sqlite][diff]") {
  std::string rest =
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INT);"
      "CREATE VIEW user_posts AS SELECT u.name, p.id FROM users AS u JOIN posts AS p ON "
      "p.author = u.id;"
      "CREATE VIEW recent AS SELECT * FROM user_posts;"
      "CREATE TABLE t (a INT); CREATE TABLE log (x TEXT);"
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT name FROM user_posts; END;";
  SchemaMigration m =
      tried("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);" + rest,
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT "
            "'');" +
                rest);
  std::string up = up_text(m);
  CHECK(up.find("DROP VIEW recent") < up.find("RENAME TO users"));
  CHECK(up.find("DROP TRIGGER tr") < up.find("RENAME TO users"));
}

namespace {

/// Runs a generated section's statements on `db`, as migrate runs a foreign_keys:off section.
void run_up(Connection& db, const SchemaMigration& m) {
  db.execute("PRAGMA foreign_keys = OFF");
  db.begin();
  for (const std::string& statement : m.up.statements) {
    db.execute(statement);
  }
  db.commit();
}

}  // namespace

TEST_CASE("sqlite_schema_migration: a rebuild keeps rowids, and NULLs take a new default",
          "[schema][sqlite][diff]") {
  std::string from = "CREATE TABLE t (a TEXT, b TEXT);";
  std::string to = "CREATE TABLE t (a TEXT NOT NULL DEFAULT 'none', b TEXT);";
  SchemaMigration m = tried(from, to);
  CHECK_THAT(up_text(m), Contains("INSERT INTO migrate_new_t (rowid, a, b)\nSELECT rowid, "
                                  "coalesce(a, 'none'), b FROM t;"));
  std::unique_ptr<Connection> db = open_database(parse_database_url("sqlite::memory:", "/"), {});
  db->execute(from +
              "INSERT INTO t VALUES ('x', '1'), (NULL, '2'), ('z', '3');"
              "DELETE FROM t WHERE b = '1';");
  run_up(*db, m);
  std::vector<SqlRow> rows = db->query("SELECT rowid, a, b FROM t ORDER BY rowid");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == SqlRow{"2", "none", "2"});
  CHECK(rows[1] == SqlRow{"3", "z", "3"});
}

TEST_CASE("sqlite_schema_migration: values a column loses to a generated one are named",
          "[schema][sqlite][diff]") {
  SchemaMigration m = tried("CREATE TABLE t (a TEXT, c TEXT);",
                            "CREATE TABLE t (a TEXT, c TEXT AS (upper(a)) STORED);");
  REQUIRE(m.destructive().size() == 1);
  CHECK_THAT(m.destructive()[0]->hazard, Contains("the values of t.c (now generated)"));
  SchemaMigration virtual_gone =
      tried("CREATE TABLE t (a TEXT, c TEXT AS (upper(a)) VIRTUAL);", "CREATE TABLE t (a TEXT);");
  CHECK(virtual_gone.destructive().empty());
}
