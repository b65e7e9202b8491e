// The state table in real SQLite files: created on first use, read as "nothing applied" when it
// is missing, refused (and never altered) when a table of that name has another shape, and its
// insert / find / rekey / progress / delete statements.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "state/state_table.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

struct Database {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection{parse_database_url("sqlite://" + file.string(), "/"), false,
                              std::chrono::milliseconds(1000)};
};

MigrationId id(std::string_view digits) {
  return *MigrationId::from_digits(digits);
}

AppliedMigration row(std::string_view digits, std::string applied_at) {
  AppliedMigration r;
  r.id = id(digits);
  r.checksum = "sha256:" + std::string(digits);
  r.applied_at = std::move(applied_at);
  r.duration_ms = 12;
  r.applied_by = "alice";
  r.git_commit = "0123abcd";
  r.title = "Migration " + std::string(digits);
  r.down_sql = "-- migrate:down\nDROP TABLE t" + std::string(digits) + ";";
  return r;
}

std::vector<std::string> ids(const std::vector<AppliedMigration>& rows) {
  std::vector<std::string> out;
  for (const AppliedMigration& r : rows) {
    out.push_back(r.id.text());
  }
  return out;
}

/// Everything that describes a table: its CREATE statement and its rows.
Rows snapshot(const std::filesystem::path& file) {
  Rows rows = sqlite_rows(file, "SELECT type, name, sql FROM sqlite_schema ORDER BY name");
  for (const auto& r : sqlite_rows(file, "SELECT * FROM schema_migrations ORDER BY 1")) {
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("state_table: a database without the table has nothing applied", "[state]") {
  Database db;
  StateTable state(db.connection, "schema_migrations");
  CHECK(state.read().empty());
  CHECK(state.read().empty());
  CHECK(schema_objects(db.file).empty());  // reading never creates the table
}

TEST_CASE("state_table: ensure creates the table with the documented columns, once", "[state]") {
  Database db;
  StateTable state(db.connection, "schema_migrations");
  state.ensure();
  CHECK(schema_objects(db.file) == std::vector<std::string>{"schema_migrations"});
  CHECK(sqlite_rows(
            db.file,
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info('schema_migrations')") ==
        Rows{{"id", "TEXT", "0", "1"},
             {"checksum", "TEXT", "1", "0"},
             {"applied_at", "TEXT", "1", "0"},
             {"duration_ms", "INTEGER", "1", "0"},
             {"applied_by", "TEXT", "0", "0"},
             {"git_commit", "TEXT", "0", "0"},
             {"title", "TEXT", "0", "0"},
             {"down_sql", "TEXT", "0", "0"},
             {"statements_done", "INTEGER", "0", "0"},
             {"statements_total", "INTEGER", "0", "0"}});
  state.run(state.insert_command(row("1", "2026-01-01T00:00:00.000Z")));
  state.ensure();  // a second time: checks the shape, keeps the rows
  CHECK(applied_ids(db.file) == std::vector<std::string>{"1"});
  CHECK(state.read().size() == 1);
}

TEST_CASE("state_table: insert, read and find round-trip every field", "[state]") {
  Database db;
  StateTable state(db.connection, "schema_migrations");
  state.ensure();
  AppliedMigration full = row("202611211423", "2026-11-21T14:23:05.123Z");
  full.title = "Add phone: it's \"quoted\"";
  AppliedMigration bare = row("000002", "2026-11-21T14:24:00.000Z");
  bare.git_commit.clear();
  bare.down_sql.clear();
  bare.duration_ms = 0;
  bare.statements_done = 1;
  bare.statements_total = 3;
  state.run(state.insert_command(full));
  state.run(state.insert_command(bare));

  CHECK(sqlite_rows(db.file,
                    "SELECT id, checksum, applied_at, duration_ms, applied_by, git_commit, title, "
                    "down_sql, statements_done, statements_total FROM schema_migrations ORDER BY "
                    "applied_at") ==
        Rows{{"202611211423", "sha256:202611211423", "2026-11-21T14:23:05.123Z", "12", "alice",
              "0123abcd", "Add phone: it's \"quoted\"",
              "-- migrate:down\nDROP TABLE t202611211423;", "NULL", "NULL"},
             {"000002", "sha256:000002", "2026-11-21T14:24:00.000Z", "0", "alice", "NULL",
              "Migration 000002", "", "1", "3"}});
  CHECK(sqlite_column(db.file, "SELECT typeof(duration_ms) FROM schema_migrations") ==
        std::vector<std::string>{"integer", "integer"});

  std::vector<AppliedMigration> rows = state.read();
  REQUIRE(rows.size() == 2);
  const AppliedMigration& a = rows[0];
  CHECK(a.id.text() == "202611211423");
  CHECK(a.checksum == "sha256:202611211423");
  CHECK(a.applied_at == "2026-11-21T14:23:05.123Z");
  CHECK(a.duration_ms == 12);
  CHECK(a.applied_by == "alice");
  CHECK(a.git_commit == "0123abcd");
  CHECK(a.title == "Add phone: it's \"quoted\"");
  CHECK(a.down_sql == "-- migrate:down\nDROP TABLE t202611211423;");
  CHECK(a.statements_done == std::nullopt);
  CHECK(a.statements_total == std::nullopt);
  CHECK_FALSE(a.partial());
  const AppliedMigration& b = rows[1];
  CHECK(b.id.text() == "000002");  // the digits as written
  CHECK(b.git_commit.empty());
  CHECK(b.statements_done == 1);
  CHECK(b.statements_total == 3);
  CHECK(b.partial());

  std::optional<AppliedMigration> found = state.find(id("000002"));
  REQUIRE(found);
  CHECK(found->id.text() == "000002");
  CHECK(found->statements_done == 1);
  CHECK(state.find(id("202611211423"))->title == "Add phone: it's \"quoted\"");
  CHECK(state.find(id("3")) == std::nullopt);
}

TEST_CASE("state_table: read is oldest first, ties in numeric id order", "[state]") {
  Database db;
  StateTable state(db.connection, "schema_migrations");
  state.ensure();
  for (auto [digits, at] :
       std::vector<std::pair<std::string, std::string>>{{"10", "2026-01-01T00:00:00.000Z"},
                                                        {"9", "2026-01-01T00:00:00.000Z"},
                                                        {"100", "2026-01-01T00:00:00.000Z"},
                                                        {"1", "2026-01-02T00:00:00.000Z"},
                                                        {"2", "2025-12-31T23:59:59.999Z"}}) {
    state.run(state.insert_command(row(digits, at)));
  }
  CHECK(ids(state.read()) == std::vector<std::string>{"2", "9", "10", "100", "1"});
}

TEST_CASE("state_table: rekey, progress and delete", "[state]") {
  Database db;
  StateTable state(db.connection, "schema_migrations");
  state.ensure();
  state.run(state.insert_command(row("5", "2026-01-01T00:00:00.000Z")));
  AppliedMigration partial = row("6", "2026-01-01T00:00:01.000Z");
  partial.statements_done = 0;
  partial.statements_total = 4;
  state.run(state.insert_command(partial));

  state.run(state.rekey_command(id("5"), id("8")));
  CHECK(applied_ids(db.file) == std::vector<std::string>{"6", "8"});
  std::optional<AppliedMigration> rekeyed = state.find(id("8"));
  REQUIRE(rekeyed);
  CHECK(rekeyed->checksum == "sha256:5");  // everything else is kept
  CHECK(rekeyed->title == "Migration 5");
  CHECK(rekeyed->applied_at == "2026-01-01T00:00:00.000Z");

  state.run(state.progress_command(id("6"), 2, 4, 35, "sha256:new"));
  CHECK(sqlite_rows(db.file,
                    "SELECT statements_done, statements_total, duration_ms, checksum FROM "
                    "schema_migrations WHERE id = '6'") == Rows{{"2", "4", "35", "sha256:new"}});
  CHECK(state.find(id("6"))->partial());
  state.run(state.progress_command(id("6"), 4, 4, 40, "sha256:new"));
  CHECK_FALSE(state.find(id("6"))->partial());

  state.run(state.delete_command(id("8")));
  CHECK(applied_ids(db.file) == std::vector<std::string>{"6"});
  state.run(state.delete_command(id("8")));  // deleting nothing is no error
  CHECK(applied_ids(db.file) == std::vector<std::string>{"6"});
}

TEST_CASE("state_table: a configured name, plain or schema-qualified", "[state]") {
  Database db;
  StateTable plain(db.connection, "migrate_state");
  plain.ensure();
  plain.run(plain.insert_command(row("1", "2026-01-01T00:00:00.000Z")));
  CHECK(applied_ids(db.file, "migrate_state") == std::vector<std::string>{"1"});
  CHECK(plain.name() == "migrate_state");

  StateTable qualified(db.connection, "main.other_state");
  CHECK(qualified.read().empty());
  qualified.ensure();
  qualified.run(qualified.insert_command(row("7", "2026-01-01T00:00:00.000Z")));
  CHECK(schema_objects(db.file) == std::vector<std::string>{"migrate_state", "other_state"});
  CHECK(ids(qualified.read()) == std::vector<std::string>{"7"});
}

TEST_CASE("state_table: a bad table name is a ConfigError", "[state]") {
  Database db;
  for (const char* name :
       {"", "1table", "bad-name", "a.b.c", "x;DROP TABLE y", ".t", "t.", "\"quoted\""}) {
    INFO(name);
    try {
      StateTable state(db.connection, name);
      FAIL("accepted");
    } catch (const ConfigError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      CHECK_THAT(e.what(), Catch::Contains("bad state table name"));
    }
  }
}

TEST_CASE("state_table: another tool's table of that name is refused and never altered",
          "[state]") {
  Database db;
  std::string tool;
  SECTION("dbmate") {
    sqlite_exec(db.file,
                "CREATE TABLE schema_migrations (version varchar(128) primary key);"
                "INSERT INTO schema_migrations VALUES ('20260101000000'), ('20260102000000');");
    tool = "dbmate";
  }
  SECTION("golang-migrate") {
    sqlite_exec(db.file,
                "CREATE TABLE schema_migrations (version uint64, dirty bool);"
                "CREATE UNIQUE INDEX version_unique ON schema_migrations (version);"
                "INSERT INTO schema_migrations VALUES (3, 0);");
    tool = "golang-migrate";
  }
  Rows before = snapshot(db.file);
  StateTable state(db.connection, "schema_migrations");
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (attempt == 0) {
        state.read();
      } else {
        state.ensure();
      }
      FAIL("accepted a foreign table");
    } catch (const ConfigError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      std::string message = e.what();
      CHECK_THAT(message,
                 Catch::Contains("the table schema_migrations in sqlite://" + db.file.string() +
                                 " is " + tool + "'s state table, not migrate's"));
      CHECK_THAT(message, Catch::Contains("migrate never alters another tool's table"));
      CHECK_THAT(message, Catch::Contains("table = migrate_migrations"));
      CHECK_THAT(message, Catch::Contains("then run `migrate adopt`"));
    }
  }
  CHECK(snapshot(db.file) == before);
}

TEST_CASE("state_table: a table missing some of our columns is refused, naming them", "[state]") {
  Database db;
  sqlite_exec(db.file,
              "CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, "
              "applied_at TEXT NOT NULL, duration_ms INTEGER, applied_by TEXT, git_commit TEXT, "
              "title TEXT, down_sql TEXT);"
              "INSERT INTO schema_migrations (id, checksum, applied_at) VALUES ('1', 'x', 'y');");
  Rows before = snapshot(db.file);
  StateTable state(db.connection, "schema_migrations");
  try {
    state.ensure();
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("not (statements_done, statements_total)"));
    CHECK_THAT(e.what(), !Catch::Contains("dbmate"));
  }
  CHECK_THROWS_AS(state.read(), ConfigError);
  CHECK(snapshot(db.file) == before);
}
