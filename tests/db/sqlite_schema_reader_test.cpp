// The SQLite schema reader against real database files: what each kind of object reads as, that
// spelling never counts, and that a dump loads back into the same model.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_schema_reader.hpp"
#include "schema/schema_dump.hpp"
#include "schema/unsupported_schema.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

/// A database file built by `sql`, read back.
struct Built {
  TempDir dir;
  std::filesystem::path path = dir / "db.sqlite";
  SqliteConnection connection{parse_database_url("sqlite://" + path.string(), "/"), false,
                              std::chrono::milliseconds(2000)};

  explicit Built(const std::string& sql) { connection.execute(sql); }
  SchemaModel read(SchemaReadOptions options = {}) {
    return read_sqlite_schema(connection, options);
  }
};

const Table& table_named(const SchemaModel& model, const std::string& name) {
  for (const Table& table : model.tables) {
    if (table.name.name == name) {
      return table;
    }
  }
  FAIL("no table " << name);
  throw;
}

const char* const kRich = R"sql(
CREATE TABLE parent (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT COLLATE NOCASE NOT NULL DEFAULT 'x',
  twice INT GENERATED ALWAYS AS (id * 2) VIRTUAL,
  plus INT AS (id + 1) STORED,
  ratio REAL DEFAULT (1 + 2),
  score INT DEFAULT -1,
  CONSTRAINT score_floor CHECK (score > -5),
  CONSTRAINT name_once UNIQUE (name)
);
CREATE TABLE child (
  x INT REFERENCES parent (id) ON DELETE CASCADE,
  y INT CHECK (y <> 0),
  z INT,
  "Order" TEXT,
  FOREIGN KEY (y) REFERENCES parent DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT fz FOREIGN KEY (z) REFERENCES parent (id) ON UPDATE SET NULL
);
CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE typed (n INTEGER, t TEXT) STRICT;
CREATE INDEX child_x ON child (x DESC);
CREATE UNIQUE INDEX child_yz ON child (y, lower("Order") COLLATE NOCASE) WHERE z IS NOT NULL;
CREATE VIEW big_parents AS SELECT id, name FROM parent WHERE score > 10;
CREATE TRIGGER parent_touch AFTER UPDATE ON parent BEGIN UPDATE child SET z = NEW.id WHERE x = OLD.id; END;
CREATE TABLE schema_migrations (id TEXT PRIMARY KEY);
)sql";

}  // namespace

TEST_CASE("sqlite_schema_reader: tables, columns and their options", "[schema][sqlite]") {
  Built db(kRich);
  SchemaModel model = db.read({.excluded_tables = {"schema_migrations"}});
  CHECK(model.engine == "sqlite");
  std::vector<std::string> names;
  for (const Table& table : model.tables) {
    names.push_back(table.name.name);
  }
  CHECK(names == std::vector<std::string>{"child", "pairs", "parent", "typed"});
  const Table& parent = table_named(model, "parent");
  CHECK(parent.autoincrement);
  REQUIRE(parent.columns.size() == 6);
  CHECK(parent.columns[0].name == "id");
  CHECK(parent.columns[0].type == "INTEGER");
  CHECK(parent.columns[1].collation == "NOCASE");
  CHECK(parent.columns[1].not_null);
  CHECK(parent.columns[1].default_value == "'x'");
  CHECK(parent.columns[2].generated == "id * 2");
  CHECK_FALSE(parent.columns[2].generated_stored);
  CHECK(parent.columns[3].generated == "id + 1");
  CHECK(parent.columns[3].generated_stored);
  CHECK(parent.columns[4].default_value == "1 + 2");
  CHECK(parent.columns[5].default_value == "-1");
  CHECK(table_named(model, "pairs").without_rowid);
  CHECK(table_named(model, "typed").strict);
  CHECK_FALSE(table_named(model, "typed").without_rowid);
}

TEST_CASE("sqlite_schema_reader: constraints, named or not, in one spelling", "[schema][sqlite]") {
  Built db(kRich);
  SchemaModel model = db.read();
  std::vector<std::string> parent;
  for (const Constraint& c : table_named(model, "parent").constraints) {
    parent.push_back(c.name + ": " + c.definition);
  }
  CHECK(parent == std::vector<std::string>{": PRIMARY KEY (id)", "name_once: UNIQUE (name)",
                                           "score_floor: CHECK (score > -5)"});
  std::vector<std::string> child;
  for (const Constraint& c : table_named(model, "child").constraints) {
    child.push_back(c.name + ": " + c.definition);
  }
  CHECK(child == std::vector<std::string>{
                     ": FOREIGN KEY (x) REFERENCES parent (id) ON DELETE CASCADE",
                     ": FOREIGN KEY (y) REFERENCES parent DEFERRABLE INITIALLY DEFERRED",
                     "fz: FOREIGN KEY (z) REFERENCES parent (id) ON UPDATE SET NULL",
                     ": CHECK (y <> 0)"});
  CHECK(table_named(model, "pairs").constraints.front().definition == "PRIMARY KEY (a, b)");
}

TEST_CASE("sqlite_schema_reader: indexes, views and triggers", "[schema][sqlite]") {
  Built db(kRich);
  SchemaModel model = db.read();
  REQUIRE(model.indexes.size() == 2);
  CHECK(model.indexes[0].definition == "CREATE INDEX child_x ON child (x DESC)");
  CHECK(model.indexes[1].definition ==
        "CREATE UNIQUE INDEX child_yz ON child (y, lower(\"Order\") COLLATE NOCASE) WHERE z IS "
        "NOT NULL");
  CHECK(model.indexes[1].unique);
  REQUIRE(model.views.size() == 1);
  CHECK(model.views[0].definition ==
        "CREATE VIEW big_parents AS SELECT id, name FROM parent WHERE score > 10");
  REQUIRE(model.triggers.size() == 1);
  CHECK(model.triggers[0].table.name == "parent");
  CHECK_THAT(model.triggers[0].definition, Contains("BEGIN UPDATE child SET z = NEW.id"));
}

TEST_CASE("sqlite_schema_reader: spacing, comments and the order of statements never count",
          "[schema][sqlite]") {
  Built tidy(
      "CREATE TABLE t (a INT CHECK (a > 0), b TEXT DEFAULT 'q');"
      "CREATE VIEW v AS SELECT a, count(*) AS n FROM t GROUP BY a;"
      "CREATE INDEX t_b ON t (b) WHERE a > 1;");
  Built messy(
      "CREATE VIEW v AS\n  SELECT a,\n         count( * ) AS n -- per a\n  FROM t\n  GROUP BY a;\n"
      "CREATE TABLE t (\n  a INT CHECK(a>0), /* positive */\n  b TEXT DEFAULT 'q'\n);"
      "CREATE INDEX t_b ON t(b)\n WHERE a>1;\n");
  CHECK(tidy.read() == messy.read());
  CHECK(dump_schema(tidy.read()) == dump_schema(messy.read()));
  Built other("CREATE TABLE t (a INT CHECK (a > 1), b TEXT DEFAULT 'q');");
  CHECK_FALSE(table_named(other.read(), "t") == table_named(tidy.read(), "t"));
}

TEST_CASE("sqlite_schema_reader: a dump loads back into the same schema, byte for byte",
          "[schema][sqlite]") {
  Built db(kRich);
  SchemaModel model = db.read({.excluded_tables = {"schema_migrations"}});
  std::string dump = dump_schema(model);
  CHECK_THAT(dump, Contains("CREATE TABLE parent (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"));
  CHECK_THAT(dump, Contains("  \"Order\" TEXT,\n"));
  CHECK_THAT(dump, Contains(") WITHOUT ROWID;\n"));
  CHECK_THAT(dump, Contains(") STRICT;\n"));
  CHECK_THAT(dump, Contains("ratio REAL DEFAULT (1 + 2)"));
  CHECK_THAT(dump, !Contains("schema_migrations"));
  Built again(dump);
  SchemaModel reread = again.read();
  CHECK(reread == model);
  CHECK(dump_schema(reread) == dump);
  // Each table before its indexes and triggers, whatever the names' order.
  CHECK(dump.find("CREATE TABLE parent") < dump.find("CREATE TRIGGER parent_touch"));
  CHECK(dump.find("CREATE TABLE child") < dump.find("CREATE INDEX child_x"));
}

TEST_CASE("sqlite_schema_reader: state tables and SQLite's own are left out", "[schema][sqlite]") {
  Built db(
      "CREATE TABLE schema_migrations (id TEXT);"
      "CREATE TABLE Goose_DB_Version (id INT);"
      "CREATE INDEX sm ON schema_migrations (id);"
      "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);"
      "INSERT INTO t DEFAULT VALUES;");
  SchemaModel model = db.read({.excluded_tables = {"main.schema_migrations", "goose_db_version"}});
  REQUIRE(model.tables.size() == 1);  // no sqlite_sequence either
  CHECK(model.tables[0].name.name == "t");
  CHECK(model.indexes.empty());
}

TEST_CASE("sqlite_schema_reader: a virtual table is named, never left out", "[schema][sqlite]") {
  Built db("CREATE TABLE t (a INT); CREATE VIRTUAL TABLE docs USING fts5(body);");
  try {
    db.read();
    FAIL("read a virtual table");
  } catch (const UnsupportedSchema& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(), Contains("virtual tables (docs)"));
  }
}

TEST_CASE("sqlite_schema_reader: tricky SQL reads back and dumps into SQL that loads",
          "[schema][sqlite]") {
  // Each once broke the round trip: signed exponents, blobs, two signs, defaults that are
  // expressions or strings in double quotes, a collated UNIQUE, a name on NOT NULL.
  const char* const cases[] = {
      "CREATE TABLE t (a REAL CHECK (a > 1e-5 AND a < 2.5E+3));",
      "CREATE TABLE t (a BLOB DEFAULT X'00ff'); CREATE VIEW v AS SELECT X'41' AS x;",
      "CREATE TABLE t (a INT CHECK (a = - -1));",
      "CREATE TABLE t (a TEXT DEFAULT ('a' || 'b'), b INT DEFAULT (1+2), c TEXT DEFAULT \"on\", "
      "d INT DEFAULT -0x1F, e TEXT DEFAULT 'it''s');",
      "CREATE TABLE t (email TEXT, UNIQUE (email COLLATE NOCASE));",
      "CREATE TABLE t (a INT CONSTRAINT nn NOT NULL CHECK (a > 0));",
      "CREATE TABLE t (a TEXT, g TEXT COLLATE NOCASE AS (upper(a)));",
      "CREATE TABLE t (a INT, 'g' INT AS (2), b datetime, c varchar(10) COLLATE nocase);",
  };
  for (const char* sql : cases) {
    INFO(sql);
    Built db(sql);
    SchemaModel model = db.read();
    std::string dump = dump_schema(model);
    INFO(dump);
    Built again(dump);
    CHECK(again.read() == model);
    CHECK(dump_schema(again.read()) == dump);
  }
  Built unique("CREATE TABLE t (email TEXT, UNIQUE (email COLLATE NOCASE));");
  CHECK(table_named(unique.read(), "t").constraints[0].definition ==
        "UNIQUE (email COLLATE NOCASE)");
  Built named("CREATE TABLE t (a INT CONSTRAINT nn NOT NULL CHECK (a > 0));");
  CHECK(table_named(named.read(), "t").constraints[0].name.empty());
  Built two(
      "CREATE TABLE p (id INTEGER PRIMARY KEY, k INT UNIQUE); CREATE TABLE c (a INT "
      "CONSTRAINT one REFERENCES p (id) CONSTRAINT two REFERENCES p (k) DEFERRABLE "
      "INITIALLY DEFERRED);");
  std::vector<std::string> keys;
  SchemaModel two_model = two.read();
  for (const Constraint& c : table_named(two_model, "c").constraints) {
    keys.push_back(c.name + ": " + c.definition);
  }
  CHECK(keys == std::vector<std::string>{
                    "one: FOREIGN KEY (a) REFERENCES p (id)",
                    "two: FOREIGN KEY (a) REFERENCES p (k) DEFERRABLE INITIALLY DEFERRED"});
  Built quoted("CREATE TABLE t (a INT, 'g' INT AS (2));");
  CHECK(table_named(quoted.read(), "t").columns[1].generated == "2");
  Built collated("CREATE TABLE t (a TEXT, g TEXT COLLATE NOCASE AS (upper(a)));");
  CHECK(table_named(collated.read(), "t").columns[1].collation == "NOCASE");
}

TEST_CASE("sqlite_schema_reader: the case of type, collation and referenced names never counts",
          "[schema][sqlite]") {
  Built lower(
      "CREATE TABLE users (id integer PRIMARY KEY, at datetime, name varchar(10) COLLATE nocase);"
      "CREATE TABLE posts (author INT REFERENCES users (id));");
  Built upper(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, at DATETIME, name VARCHAR(10) COLLATE NOCASE);"
      "CREATE TABLE posts (author INT REFERENCES Users (ID));");
  CHECK(lower.read() == upper.read());
}

TEST_CASE("sqlite_schema_reader: a table named like another tool's in another database stays",
          "[schema][sqlite]") {
  Built db("CREATE TABLE changes (id INTEGER PRIMARY KEY); CREATE TABLE t (a INT);");
  SchemaModel model = db.read({.excluded_tables = {"sqitch.changes", "main.t"}});
  REQUIRE(model.tables.size() == 1);
  CHECK(model.tables[0].name.name == "changes");
}

TEST_CASE("sqlite_schema_reader: the fingerprint changes with the schema, not with the rows",
          "[schema][sqlite]") {
  Built built("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT)");
  std::string before = sqlite_schema_fingerprint(built.connection);
  built.connection.execute("INSERT INTO a (name) VALUES ('x')");
  CHECK(sqlite_schema_fingerprint(built.connection) == before);
  built.connection.execute("CREATE INDEX a_name ON a (name)");
  std::string indexed = sqlite_schema_fingerprint(built.connection);
  CHECK(indexed != before);
  built.connection.execute("DROP INDEX a_name");
  CHECK(sqlite_schema_fingerprint(built.connection) == before);
  // The same schema built another way, in another file: the same fingerprint.
  Built again("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT)");
  CHECK(sqlite_schema_fingerprint(again.connection) == before);
  Built other("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  CHECK(sqlite_schema_fingerprint(other.connection) != before);
}
