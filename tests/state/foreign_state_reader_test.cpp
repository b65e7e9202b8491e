// Other tools' state tables read with each tool's rules, from real SQLite files holding the
// tables as those tools create them (the statements are their own). Nothing is written to them.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "state/foreign_state_reader.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;
using Strings = std::vector<std::string>;
using Catch::Contains;

namespace {

/// A SQLite file holding `sql`'s tables, and a read-only connection to it, as adopt reads.
struct Database {
  explicit Database(const std::string& sql) : created((sqlite_exec(file, sql), true)) {}
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  bool created;
  SqliteConnection connection{parse_database_url("sqlite://" + file.string(), "/"), true,
                              std::chrono::milliseconds(1000)};
};

const char* const kFlyway =
    "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version "
    "VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script "
    "VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TEXT "
    "NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), execution_time INT NOT NULL, "
    "success BOOLEAN NOT NULL);";

/// A Flyway history row.
std::string flyway_row(int rank, const std::string& version, const std::string& type,
                       const std::string& script, bool success = true) {
  return "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
         "script, installed_by, execution_time, success) VALUES (" +
         std::to_string(rank) + ", " + (version.empty() ? "NULL" : "'" + version + "'") +
         ", 'x', '" + type + "', '" + script + "', 'me', 1, " + (success ? "1" : "0") + ");";
}

/// A Flyway history row of a repeatable (no version): `R__<description>.sql`, its checksum
/// NULL when `checksum` is empty.
std::string flyway_repeatable_row(int rank, const std::string& description, const std::string& type,
                                  const std::string& checksum) {
  return "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
         "script, checksum, installed_by, execution_time, success) VALUES (" +
         std::to_string(rank) + ", NULL, '" + description + "', '" + type + "', 'R__" +
         description + ".sql', " + (checksum.empty() ? "NULL" : checksum) + ", 'me', 1, 1);";
}

ForeignState read(Database& db, ForeignTool tool) {
  std::optional<ForeignState> state = read_foreign_state(db.connection, tool);
  REQUIRE(state);
  return *state;
}

}  // namespace

TEST_CASE("foreign_state_reader: Flyway's baselines, deletes, undos, repeatables and versions",
          "[state][adopt]") {
  Database db(std::string(kFlyway) +
              flyway_row(0, "", "SCHEMA", "\"public\"") +  // Flyway created the schema
              flyway_row(1, "1.0", "BASELINE", "<< Flyway Baseline >>") +
              flyway_row(2, "002", "SQL", "V002__b.sql") + flyway_row(3, "3", "SQL", "V3__c.sql") +
              flyway_row(4, "3", "DELETE", "V3__c.sql") +  // flyway repair took it back
              flyway_row(5, "1.1", "SQL", "V1_1__d.sql") +
              flyway_repeatable_row(6, "views", "SQL", "11") +
              flyway_repeatable_row(7, "views", "SQL", "-722651034") +
              flyway_row(8, "4", "SQL", "V4__e.sql") + flyway_row(9, "4", "UNDO_SQL", "U4__e.sql"));
  Rows before = sqlite_rows(db.file, "SELECT * FROM flyway_schema_history");
  ForeignState state = read(db, ForeignTool::flyway);
  CHECK(state.blocked.empty());
  CHECK(state.applied_up_to == "1");            // "1.0" is version 1
  CHECK(state.applied == Strings{"2", "1.1"});  // "002" is 2; 3 deleted; 4 undone
  REQUIRE(state.repeatables.size() == 1);       // once, however often it ran: its latest run
  CHECK(state.repeatables[0].description == "views");
  CHECK(state.repeatables[0].script == "R__views.sql");
  CHECK(state.repeatables[0].checksum == -722651034);
  CHECK_FALSE(state.repeatables[0].deleted);
  CHECK(sqlite_rows(db.file, "SELECT * FROM flyway_schema_history") == before);
}

TEST_CASE("foreign_state_reader: a Flyway repeatable is as the latest row of its description says",
          "[state][adopt]") {
  Database db(std::string(kFlyway) + flyway_repeatable_row(1, "views", "SQL", "1") +
              flyway_repeatable_row(2, "grants", "SQL", "2") +
              flyway_repeatable_row(3, "views", "DELETE", "1") +  // flyway repair removed it
              flyway_repeatable_row(4, "grants", "DELETE", "2") +
              flyway_repeatable_row(5, "grants", "SQL", "3") +  // and it ran again
              flyway_repeatable_row(6, "java", "JDBC", "") +    // a Java migration's
              flyway_repeatable_row(7, "nulled", "SQL", ""));   // a checksum someone nulled
  ForeignState state = read(db, ForeignTool::flyway);
  CHECK(state.applied.empty());
  CHECK_FALSE(state.empty());              // repeatables are records too: the database is Flyway's
  REQUIRE(state.repeatables.size() == 4);  // in description order
  CHECK(state.repeatables[0].description == "grants");
  CHECK(state.repeatables[0].checksum == 3);
  CHECK_FALSE(state.repeatables[0].deleted);
  CHECK(state.repeatables[1].description == "java");
  CHECK_FALSE(state.repeatables[1].checksum);
  CHECK(state.repeatables[2].description == "nulled");
  CHECK_FALSE(state.repeatables[2].checksum);
  CHECK(state.repeatables[3].description == "views");
  CHECK(state.repeatables[3].deleted);
  CHECK_FALSE(state.repeatables[3].checksum);
  CHECK(find_foreign_records(db.connection).size() == 1);
}

TEST_CASE("foreign_state_reader: a Flyway baseline migration counts everything up to it",
          "[state][adopt]") {
  Database db(std::string(kFlyway) + flyway_row(1, "2", "SQL_BASELINE", "B2__all.sql") +
              flyway_row(2, "3", "SQL", "V3__c.sql"));
  ForeignState state = read(db, ForeignTool::flyway);
  CHECK(state.applied_up_to == "2");
  CHECK(state.applied == Strings{"3"});
}

TEST_CASE("foreign_state_reader: a failed Flyway row blocks, naming the script", "[state][adopt]") {
  Database db(std::string(kFlyway) + flyway_row(1, "1", "SQL", "V1__a.sql") +
              flyway_row(2, "2", "SQL", "V2__b.sql", false));
  CHECK_THAT(read(db, ForeignTool::flyway).blocked,
             Contains("records a failed migration: version 2 (V2__b.sql)"));
}

TEST_CASE("foreign_state_reader: goose's newest row per version, its own version 0 left out",
          "[state][adopt]") {
  const std::string table =
      "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER "
      "NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')));";
  SECTION("only goose's first row: nothing applied") {
    Database db(table + "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1);");
    ForeignState state = read(db, ForeignTool::goose);
    CHECK(state.applied.empty());
    CHECK(state.empty());
    CHECK(find_foreign_states(db.connection).size() == 1);
    CHECK(find_foreign_records(db.connection).empty());  // nothing recorded: no migrating tool
  }
  SECTION("rolled back by an older goose, applied again, rolled back") {
    Database db(table +
                "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), "
                "(2, 1), (2, 0), (3, 1), (3, 0), (3, 1), (4, 1), (4, 0);");
    CHECK(read(db, ForeignTool::goose).applied == Strings{"1", "3"});
  }
}

TEST_CASE("foreign_state_reader: golang-migrate's one row: clean, dirty, none", "[state][adopt]") {
  const std::string table = "CREATE TABLE schema_migrations (version uint64,dirty bool);";
  SECTION("clean") {
    Database db(table + "INSERT INTO schema_migrations VALUES (7, 0);");
    CHECK(read(db, ForeignTool::golang_migrate).applied_up_to == "7");
    CHECK_FALSE(read_foreign_state(db.connection, ForeignTool::dbmate));  // not its shape
  }
  SECTION("no row, or clean at no version") {
    Database db(table);
    CHECK(read(db, ForeignTool::golang_migrate).empty());
    sqlite_exec(db.file, "INSERT INTO schema_migrations VALUES (-1, 0);");
    CHECK(read(db, ForeignTool::golang_migrate).empty());
  }
  SECTION("dirty") {
    Database db(table + "INSERT INTO schema_migrations VALUES (7, 1);");
    CHECK_THAT(read(db, ForeignTool::golang_migrate).blocked, Contains("says version 7 is dirty"));
  }
}

TEST_CASE("foreign_state_reader: tables of other names or shapes are not another tool's",
          "[state][adopt]") {
  Database db(
      "CREATE TABLE schema_migrations (version TEXT, note TEXT);"
      "CREATE TABLE alembic_versions (version_num TEXT);");
  CHECK(find_foreign_states(db.connection).empty());
  CHECK_FALSE(tool_of_table("schema_migrations", {"version", "note"}));
  CHECK(tool_of_table("public.schema_migrations", {"version"}) == ForeignTool::dbmate);
  CHECK(tool_of_table("schema_migrations", {"version", "dirty"}) == ForeignTool::golang_migrate);
  CHECK_FALSE(tool_of_table("migrate_state", {"version"}));
}

TEST_CASE("foreign_state: tool names, in any case", "[state][adopt]") {
  CHECK(parse_foreign_tool("Dbmate") == ForeignTool::dbmate);
  CHECK(parse_foreign_tool("golang-migrate") == ForeignTool::golang_migrate);
  CHECK_FALSE(parse_foreign_tool("liquibase"));
  CHECK_FALSE(parse_foreign_tool("dbmat"));
  CHECK(foreign_tool_names() == "dbmate, golang-migrate, goose, flyway, alembic, django, sqitch");
}
