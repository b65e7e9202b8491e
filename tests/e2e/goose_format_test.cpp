// A goose folder run as goose runs it, on SQLite and PostgreSQL: every annotation goose has
// (Up, Down, StatementBegin/End, NO TRANSACTION, ENVSUB), a file without Down, a Go migration
// (refused, or skipped with --skip-go); the schema compared with the same statements replayed
// one by one, the way goose sends them; bad files refused with file:line, nothing changed.
#include <catch2/catch.hpp>

#include <functional>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/schema_dump.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// One engine as these tests see it: the flag, and what differs in the folder's SQL.
struct Engine {
  std::string name;
  Strings database;  ///< the --database flag and URL, or nothing (migrate.db)
  /// The StatementBegin block of 00001: a trigger (SQLite) or a PL/pgSQL function whose block
  /// does not end in ';' (PostgreSQL), each with ';' inside.
  std::string block;
  std::string drop_block;
  /// 00003's index, outside a transaction (CONCURRENTLY on PostgreSQL).
  std::string create_index, drop_index;
  std::function<Strings()> tables;            ///< besides the state table
  std::function<Strings()> applied;           ///< migrate's rows
  std::function<Strings(std::string)> query;  ///< one column
  std::function<Strings()> schema;            ///< the schema, as the tool of the engine dumps it
  /// Runs statements one by one on a fresh database, as goose sends them; then its schema.
  std::function<Strings(const Strings&)> replayed_schema;
};

constexpr const char* kSqliteTrigger =
    "CREATE TRIGGER notes_shout AFTER INSERT ON notes\n"
    "BEGIN\n"
    "  UPDATE notes SET body = upper(body) WHERE id = NEW.id;\n"
    "END;";
constexpr const char* kPostgresFunction =
    "CREATE FUNCTION note_count() RETURNS bigint AS $$\n"
    "BEGIN\n"
    "  RETURN (SELECT count(*) FROM notes);\n"
    "END;\n"
    "$$ LANGUAGE plpgsql";

Engine sqlite_engine(const Project& project, const TempDir& scratch) {
  std::filesystem::path db = project.db();
  return {"sqlite",
          {},
          kSqliteTrigger,
          "DROP TRIGGER notes_shout;",
          "CREATE INDEX notes_body ON notes (body);",
          "DROP INDEX notes_body;",
          [db] {
            Strings tables = std::filesystem::exists(db) ? schema_objects(db) : Strings{};
            std::erase(tables, "schema_migrations");
            return tables;
          },
          [db] { return std::filesystem::exists(db) ? applied_ids(db) : Strings{}; },
          [db](std::string sql) { return sqlite_column(db, sql); },
          [db] { return sqlite_schema(db); },
          [&scratch](const Strings& statements) {
            std::filesystem::path replay = scratch / "replay.db";
            for (const std::string& statement : statements) {
              sqlite_exec(replay, statement);
            }
            return sqlite_schema(replay);
          }};
}

Engine postgres_engine(const PostgresDatabase& db, const PostgresDatabase& replay) {
  return {"postgres",
          {"--database", db.url()},
          kPostgresFunction,
          "DROP FUNCTION note_count();",
          "CREATE INDEX CONCURRENTLY notes_body ON notes (body);",
          "DROP INDEX CONCURRENTLY notes_body;",
          [&db] {
            Strings tables = db.relations();
            std::erase(tables, "schema_migrations");
            return tables;
          },
          [&db] { return db.relations() == Strings{} ? Strings{} : db.applied_ids(); },
          [&db](std::string sql) { return db.column(sql); },
          [&db] { return postgres_schema(db.url()); },
          [&replay](const Strings& statements) {
            for (const std::string& statement : statements) {
              replay.exec(statement);
            }
            return postgres_schema(replay.url());
          }};
}

/// The goose folder, with every annotation goose reads.
void add_goose_folder(const Project& project, const Engine& engine) {
  project.add("00001_create_notes.sql",
              "-- Notes, with a " + engine.name +
                  " block kept whole\n"
                  "\n"
                  "-- +goose up\n"
                  "CREATE TABLE notes (\n"
                  "  id INTEGER PRIMARY KEY,\n"
                  "  body TEXT NOT NULL,\n"
                  "  who TEXT,\n"
                  "  tag TEXT\n"
                  ");\n"
                  "-- +goose StatementBegin\n" +
                  engine.block +
                  "\n"
                  "-- +goose StatementEnd\n"
                  "CREATE TABLE tags (id INTEGER PRIMARY KEY); -- after the block\n"
                  "\n"
                  "-- +GOOSE Down is a comment to goose, not an annotation\n"
                  "--+goose DOWN\n"
                  "DROP TABLE tags;\n" +
                  engine.drop_block +
                  "\n"
                  "DROP TABLE notes;\n");
  // No Down: goose's down runs nothing and removes the row.
  project.add("00002_seed_notes.sql",
              "-- +goose Up\n"
              "-- +goose ENVSUB ON\n"
              "INSERT INTO notes (id, body, who, tag)\n"
              "  VALUES (1, '${GREETING:-hello}', '${WHO-nobody}', '${TAG?set TAG}');\n"
              "-- +goose ENVSUB OFF\n"
              "INSERT INTO notes (id, body) VALUES (2, '$$ ${NOT_EXPANDED}');\n");
  project.add("00003_index_notes.sql",
              "-- +goose NO TRANSACTION\n"
              "-- +goose Up\n" +
                  engine.create_index +
                  "\n"
                  "-- +goose Down\n" +
                  engine.drop_index + "\n");
  project.add("00004_backfill.go", "package migrations\n");
  project.add("00004_backfill_test.go", "package migrations\n");  // not a migration
}

/// The statements goose sends for the folder's up sections, ENVSUB expanded by hand.
Strings goose_up_statements(const Engine& engine) {
  return {
      "CREATE TABLE notes (\n  id INTEGER PRIMARY KEY,\n  body TEXT NOT NULL,\n  who TEXT,\n"
      "  tag TEXT\n);",
      engine.block,
      "CREATE TABLE tags (id INTEGER PRIMARY KEY); -- after the block",
      "INSERT INTO notes (id, body, who, tag)\n  VALUES (1, 'hello', '', 't1');",
      "INSERT INTO notes (id, body) VALUES (2, '$$ ${NOT_EXPANDED}');",
      engine.create_index};
}

ProcessResult run(const Project& project, const Engine& engine, const std::string& tool,
                  Strings args = {}) {
  args.insert(args.end(), engine.database.begin(), engine.database.end());
  // GREETING unset, WHO set but empty: `:-` and `-` tell them apart, as goose does.
  return project.run(tool, args, {.env = {{"WHO", ""}, {"TAG", "t1"}}});
}

void goose_round_trip(const Project& project, const Engine& engine) {
  INFO(engine.name);
  add_goose_folder(project, engine);
  ProcessResult go = run(project, engine, "migrate-upgrade");
  CHECK(go.exit_code == 2);
  CHECK_THAT(go.err, Contains("migrations/00004_backfill.go: a Go migration, which migrate "
                              "cannot run (it runs SQL only)"));
  CHECK_THAT(go.err, !Contains("backfill_test.go"));
  CHECK(engine.tables().empty());

  ProcessResult up = run(project, engine, "migrate-upgrade", {"--skip-go"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.err, Contains("warning: skipped the Go migration migrations/00004_backfill.go "
                              "(--skip-go)"));
  CHECK_THAT(up.out, Contains("Notes, with a " + engine.name + " block kept whole"));
  CHECK(engine.applied() == Strings{"00001", "00002", "00003"});
  CHECK(engine.tables() == Strings{"notes", "tags"});
  CHECK(engine.query("SELECT who || '|' || tag FROM notes WHERE id = 1") == Strings{"|t1"});
  CHECK(engine.query("SELECT body FROM notes WHERE id = 2") == Strings{"$$ ${NOT_EXPANDED}"});
  if (engine.name == "sqlite") {  // the trigger ran, whole
    CHECK(engine.query("SELECT body FROM notes WHERE id = 1") == Strings{"HELLO"});
  } else {  // the function runs, whole
    CHECK(engine.query("SELECT note_count()") == Strings{"2"});
    CHECK(engine.query("SELECT body FROM notes WHERE id = 1") == Strings{"hello"});
  }
  Strings schema = engine.schema();
  CHECK(schema.size() >= 4);  // two tables, the block, the index
  CHECK(schema == engine.replayed_schema(goose_up_statements(engine)));

  ProcessResult index = run(project, engine, "migrate-downgrade", {"-1", "--skip-go"});
  INFO(index.err);
  REQUIRE(index.exit_code == 0);
  CHECK(engine.applied() == Strings{"00001", "00002"});
  // No Down: the row goes, the notes stay.
  ProcessResult seed = run(project, engine, "migrate-downgrade", {"-1", "--skip-go"});
  INFO(seed.err);
  REQUIRE(seed.exit_code == 0);
  CHECK_THAT(seed.out, Contains("revert 00002_seed_notes"));
  CHECK(engine.applied() == Strings{"00001"});
  CHECK(engine.query("SELECT count(*) FROM notes") == Strings{"2"});
  ProcessResult base = run(project, engine, "migrate-downgrade", {"base", "--skip-go"});
  INFO(base.err);
  REQUIRE(base.exit_code == 0);
  CHECK(engine.applied().empty());
  CHECK(engine.tables().empty());
}

/// Bad goose files: exit 2, every file's problem with its line, nothing applied.
void bad_goose_files(const Project& project, const Engine& engine) {
  INFO(engine.name);
  project.add("00001_good.sql", "-- +goose Up\nCREATE TABLE a (x int);\n");
  project.add("00002_sql_first.sql", "CREATE TABLE b (x int);\n-- +goose Up\n");
  project.add("00003_no_semicolon.sql",
              "-- +goose Up\nCREATE TABLE c (x int);\n-- +goose Down\nDROP TABLE c\n");
  project.add("00004_indented.sql", "-- +goose Up\n  -- +goose StatementBegin\n");
  project.add("00005.sql", "-- +goose Up\nCREATE TABLE e (x int);\n");
  ProcessResult bad = run(project, engine, "migrate-upgrade");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("4 migration files are invalid:"));
  CHECK_THAT(bad.err, Contains("migrations/00005.sql: no '_' after the version, which goose "
                               "refuses"));
  CHECK_THAT(bad.err, Contains("migrations/00002_sql_first.sql:1: SQL before '-- +goose Up'"));
  CHECK_THAT(bad.err, Contains("migrations/00003_no_semicolon.sql:4: this statement does not "
                               "end in ';' before the end of the file"));
  CHECK_THAT(bad.err, Contains("migrations/00004_indented.sql:2: a '-- +goose' annotation after "
                               "white space"));
  CHECK_THAT(bad.err, !Contains("read the folder with `format = goose`"));  // it is read so
  CHECK(engine.tables().empty());
  CHECK(engine.applied().empty());
  // A required variable unset: refused before anything runs.
  std::filesystem::remove_all(project.migrations());
  project.add("00001_good.sql", "-- +goose Up\nCREATE TABLE a (x int);\n");
  project.add("00002_needs.sql",
              "-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE ${PREFIX?name the prefix}_b (x "
              "int);\n");
  ProcessResult unset = run(project, engine, "migrate-upgrade");
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Contains("migrations/00002_needs.sql:3: variable substitution failed "
                                 "(ENVSUB is on): $PREFIX: name the prefix"));
  CHECK(engine.tables().empty());
}

}  // namespace

TEST_CASE("goose: a goose folder runs as goose runs it, on SQLite", "[e2e][formats][goose]") {
  Project project;
  TempDir scratch;
  goose_round_trip(project, sqlite_engine(project, scratch));
}

TEST_CASE("goose: a goose folder runs as goose runs it, on PostgreSQL",
          "[e2e][formats][goose][postgres]") {
  PostgresDatabase db, replay;
  Project project;
  goose_round_trip(project, postgres_engine(db, replay));
}

TEST_CASE("goose: bad goose files are refused with their lines, on SQLite",
          "[e2e][formats][goose]") {
  Project project;
  TempDir scratch;
  bad_goose_files(project, sqlite_engine(project, scratch));
}

TEST_CASE("goose: bad goose files are refused with their lines, on PostgreSQL",
          "[e2e][formats][goose][postgres]") {
  PostgresDatabase db, replay;
  Project project;
  bad_goose_files(project, postgres_engine(db, replay));
}

TEST_CASE("goose: migrate-create writes a goose file with the next number",
          "[e2e][formats][goose]") {
  Project project;
  project.add("00001_a.sql",
              "-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Down\nDROP TABLE a;\n");
  ProcessResult create = project.run("migrate-create", {"Add b"});
  INFO(create.err);
  REQUIRE(create.exit_code == 0);
  CHECK(create.out == "migrations/00002_add_b.sql\n");
  CHECK(read_text(project.migrations() / "00002_add_b.sql") ==
        "-- Add b\n-- +goose Up\n-- The SQL that applies the change.\n\n-- +goose Down\n"
        "-- The SQL that reverts it. Left empty, a downgrade reverts nothing (goose's rule).\n");
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "HEAD"));
  // It reads back as goose's, and runs once it has SQL.
  project.add("00002_add_b.sql", "-- Add b\n-- +goose Up\nCREATE TABLE b (x int);\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  CHECK(up.exit_code == 0);
  ProcessResult down = project.run("migrate-downgrade");
  INFO(down.err);
  CHECK(down.exit_code == 0);  // no Down: reverts nothing, as goose down does
}

TEST_CASE("goose: an empty Up section is refused with goose's words", "[e2e][formats][goose]") {
  Project project;
  project.add("00001_a.sql", "-- +goose Up\n-- nothing yet\n-- +goose Down\n");
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("Write the up section (the SQL after '-- +goose Up'), or pass "
                              "--allow-empty"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}
