// A migrations folder's format: detected from its files, or chosen with `format =` / --format;
// dbmate folders run as dbmate runs them, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <functional>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::EndsWith;
using Strings = std::vector<std::string>;

namespace {

/// A dbmate folder: 14-digit ids, markers at the start of lines, no HEAD file. The first file's
/// up section holds an indented `-- migrate:down` (SQL text for dbmate); the second is dbmate's
/// template with the down section left empty (it reverts nothing there).
void add_dbmate_folder(const Project& project) {
  project.add("20240101000000_create_notes.sql",
              "-- migrate:up\n"
              "CREATE TABLE notes (\n"
              "    id INTEGER PRIMARY KEY,\n"
              "    -- migrate:down\n"
              "    body TEXT NOT NULL\n"
              ");\n"
              "\n"
              "-- migrate:down\n"
              "DROP TABLE notes;\n");
  project.add("20240102000000_seed_notes.sql",
              "-- migrate:up\n"
              "INSERT INTO notes (id, body) VALUES (1, 'hello');\n"
              "\n"
              "\n"
              "-- migrate:down\n"
              "\n");
  project.add("20240103000000_create_tags.sql",
              "-- migrate:up\n"
              "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n"
              "\n"
              "-- migrate:down\n"
              "DROP TABLE tags;\n");
}

/// One database engine as the tests see it: the --database flag, and the database's tables
/// (besides the state table), notes' columns and the notes' bodies, read without migrate.
struct Engine {
  std::string name;
  std::vector<std::string> database;  ///< the flag and its URL, or nothing (migrate.db)
  std::function<Strings()> tables;
  std::function<Strings()> note_columns;
  std::function<Strings()> notes;
  std::function<Strings()> applied;
};

Engine sqlite_engine(const Project& project) {
  std::filesystem::path db = project.db();
  return {"sqlite",
          {},
          [db] {
            if (!std::filesystem::exists(db)) {
              return Strings{};
            }
            Strings tables = schema_objects(db);
            std::erase(tables, "schema_migrations");
            return tables;
          },
          [db] { return sqlite_column(db, "SELECT name FROM pragma_table_info('notes')"); },
          [db] { return sqlite_column(db, "SELECT body FROM notes ORDER BY id"); },
          [db] { return std::filesystem::exists(db) ? applied_ids(db) : Strings{}; }};
}

Engine postgres_engine(const PostgresDatabase& db) {
  return {"postgres",
          {"--database", db.url()},
          [&db] {
            Strings tables = db.relations();
            std::erase(tables, "schema_migrations");
            return tables;
          },
          [&db] {
            return db.column(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = "
                "'notes' ORDER BY ordinal_position");
          },
          [&db] { return db.column("SELECT body FROM notes ORDER BY id"); },
          [&db] { return db.relations() == Strings{} ? Strings{} : db.applied_ids(); }};
}

ProcessResult run(const Project& project, const Engine& engine, const std::string& tool,
                  Strings args = {}) {
  args.insert(args.end(), engine.database.begin(), engine.database.end());
  return project.run(tool, args);
}

void dbmate_round_trip(const Project& project, const Engine& engine) {
  INFO(engine.name);
  add_dbmate_folder(project);
  ProcessResult up = run(project, engine, "migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(engine.applied() == Strings{"20240101000000", "20240102000000", "20240103000000"});
  // The indented marker stayed in the up section: the table has both columns.
  CHECK(engine.note_columns() == Strings{"id", "body"});
  CHECK(engine.notes() == Strings{"hello"});
  CHECK(engine.tables() == Strings{"notes", "tags"});

  ProcessResult tags = run(project, engine, "migrate-downgrade", {"-1"});
  INFO(tags.err);
  REQUIRE(tags.exit_code == 0);
  CHECK(engine.tables() == Strings{"notes"});
  // The empty down section reverts nothing, as in dbmate: the row goes, the note stays.
  ProcessResult seed = run(project, engine, "migrate-downgrade", {"-1"});
  INFO(seed.err);
  REQUIRE(seed.exit_code == 0);
  CHECK_THAT(seed.out, Contains("revert 20240102000000_seed_notes"));
  CHECK(engine.applied() == Strings{"20240101000000"});
  CHECK(engine.notes() == Strings{"hello"});
  ProcessResult base = run(project, engine, "migrate-downgrade", {"base"});
  INFO(base.err);
  REQUIRE(base.exit_code == 0);
  CHECK(engine.applied().empty());
  CHECK(engine.tables().empty());
}

void refused_as_ours(const Project& project, const Engine& engine) {
  INFO(engine.name);
  project.add("20240101000000_create_notes.sql",
              "-- migrate:up\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n\n"
              "-- migrate:down\nDROP TABLE notes;\n");
  project.add(
      "20240102000000_seed_notes.sql",
      "-- migrate:up\nINSERT INTO notes (id, body) VALUES (1, 'hello');\n\n-- migrate:down\n\n");
  REQUIRE(run(project, engine, "migrate-upgrade").exit_code == 0);
  write_text(project.root() / "migrate.conf", "[migrate]\n\tformat = migrate\n");
  ProcessResult result = run(project, engine, "migrate-downgrade", {"base"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("cannot downgrade to 'base': it would revert irreversible "
                                  "migrations:\n  migrations/20240102000000_seed_notes.sql has "
                                  "an empty down section\nNothing was reverted."));
  CHECK_THAT(result.err, Contains("An empty down section means irreversible in migrate's own "
                                  "format; in dbmate's it reverts nothing. If the folder is "
                                  "written for dbmate, say `format = dbmate`"));
  CHECK(engine.applied() == Strings{"20240101000000", "20240102000000"});
  CHECK(engine.notes() == Strings{"hello"});
  // --format beats migrate.conf.
  ProcessResult dbmate = run(project, engine, "migrate-downgrade", {"base", "--format", "dbmate"});
  INFO(dbmate.err);
  CHECK(dbmate.exit_code == 0);
  CHECK(engine.tables().empty());
}

}  // namespace

TEST_CASE("format: a dbmate folder runs as dbmate runs it, on SQLite", "[e2e][formats]") {
  Project project;
  dbmate_round_trip(project, sqlite_engine(project));
}

TEST_CASE("format: a dbmate folder runs as dbmate runs it, on PostgreSQL",
          "[e2e][formats][postgres]") {
  PostgresDatabase db;
  Project project;
  dbmate_round_trip(project, postgres_engine(db));
}

TEST_CASE("format: the same folder read as migrate's refuses the empty down, on SQLite",
          "[e2e][formats]") {
  Project project;
  refused_as_ours(project, sqlite_engine(project));
}

TEST_CASE("format: the same folder read as migrate's refuses the empty down, on PostgreSQL",
          "[e2e][formats][postgres]") {
  PostgresDatabase db;
  Project project;
  refused_as_ours(project, postgres_engine(db));
}

TEST_CASE("format: read as migrate's, an indented marker is a marker, and the folder says why",
          "[e2e][formats]") {
  Project project;
  add_dbmate_folder(project);
  ProcessResult result = project.run("migrate-upgrade", {"--format", "migrate"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Contains("migrations/20240101000000_create_notes.sql:8: a second '-- migrate:down' "
                      "(the first is on line 4): a migration has one down section\nmigrations/ "
                      "is read in migrate's own format, as --format migrate says."));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("format: a bad format is an error listing the good ones, nothing is touched",
          "[e2e][formats]") {
  Project project;
  add_dbmate_folder(project);
  write_text(project.root() / "migrate.conf", "[migrate]\n\tformat = dbmat\n");
  for (const char* tool : {"migrate-upgrade", "migrate-current", "migrate-graph"}) {
    INFO(tool);
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(
        result.err,
        Contains("migrate.conf: format = dbmat: no such format. Use migrate, dbmate, "
                 "golang-migrate, goose, flyway or stem, or leave it out: the format is then "
                 "detected from the folder's files"));
    CHECK(result.out.empty());
  }
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("format: migrate-graph keeps its own --format and reads the folder's from the config",
          "[e2e][formats]") {
  Project project;
  add_dbmate_folder(project);
  ProcessResult dot = project.run("migrate-graph", {"--format", "dot"});
  INFO(dot.err);
  CHECK(dot.exit_code == 0);
  CHECK_THAT(dot.out, Contains("digraph"));
  write_text(project.root() / "migrate.conf", "[migrate]\n\tformat = migrate\n");
  ProcessResult ours = project.run("migrate-graph", {"--format", "dot"});
  CHECK(ours.exit_code == 2);
  CHECK_THAT(ours.err, Contains("a second '-- migrate:down'"));
}

TEST_CASE("format: a folder's broken files and its duplicate ids come in one round",
          "[e2e][formats]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;", "SELECT 1;"));
  project.add("0001_b.sql", migration_text("SELECT 2;", "SELECT 2;"));
  project.add("0002_c.sql", "-- migrate:up\nSELECT 3;\n-- Migrate:Down\n");
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("1 migration file is invalid, and 1 id is used twice:\n"
                                  "  migrations/0002_c.sql:3: '-- Migrate:Down' looks like a "
                                  "section marker but is not one"));
  CHECK_THAT(result.err, Contains("\n  duplicate id 0001: migrations/0001_a.sql and "
                                  "migrations/0001_b.sql. Give one of them a new id"));
  CHECK_THAT(result.err, EndsWith("or --format.\n"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("format: the pre-commit gate reads the staged folder in its format",
          "[e2e][formats]"
          "[git]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  tree.write("migrations/20240101000000_create_notes.sql",
             "-- migrate:up\nCREATE TABLE notes (\n  id INTEGER\n  -- migrate:down\n);\n\n"
             "-- migrate:down\nDROP TABLE notes;\n");
  tree.commit("notes");
  tree.write("migrations/20240102000000_seed.sql",
             "-- migrate:up\nINSERT INTO notes VALUES (1);\n-- migrate:down\n");
  tree.git({"add", "-A"});
  RunOptions options;
  options.cwd = tree.root();
  ProcessResult fine = run_tool("migrate-check", {"--staged"}, options);
  INFO(fine.err);
  CHECK(fine.exit_code == 0);
  ProcessResult ours = run_tool("migrate-check", {"--staged", "--format", "migrate"}, options);
  CHECK(ours.exit_code == 3);
  CHECK_THAT(ours.err + ours.out, Contains("a second '-- migrate:down'"));
}

TEST_CASE("format: migrate-create writes a file of the folder's own format, with its ids",
          "[e2e][formats]") {
  SECTION("dbmate: the two sections, no depends line, no HEAD; the folder stays dbmate's") {
    Project project;
    add_dbmate_folder(project);
    ProcessResult created = project.run("migrate-create", {"add thing"});
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    std::string path = created.out.substr(0, created.out.size() - 1);
    std::string text = read_text(project.root() / path);
    CHECK_THAT(text, Catch::StartsWith("-- add thing\n-- migrate:up\n"));
    CHECK_THAT(text, !Contains("depends:"));
    CHECK_THAT(text, Contains("-- migrate:down\n-- The SQL that reverts it. Left empty, a "
                              "downgrade reverts nothing (dbmate's rule).\n"));
    CHECK_FALSE(std::filesystem::exists(project.migrations() / "HEAD"));
    // Still read as dbmate's: its indented marker-like line is SQL text, and it upgrades.
    ProcessResult up = project.run("migrate-upgrade", {"--allow-empty"});
    INFO(up.err);
    CHECK(up.exit_code == 0);
  }
  SECTION("golang-migrate: an .up.sql and a .down.sql, numbered after the last") {
    Project project;
    project.add("000001_create_a.up.sql", "CREATE TABLE a (x int);\n");
    project.add("000001_create_a.down.sql", "DROP TABLE a;\n");
    ProcessResult created = project.run("migrate-create", {"Add b"});
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    CHECK(created.out == "migrations/000002_add_b.up.sql\n");
    CHECK(read_text(project.migrations() / "000002_add_b.up.sql") ==
          "-- Add b\n\n-- The SQL that applies the change.\n");
    CHECK(read_text(project.migrations() / "000002_add_b.down.sql") ==
          "-- The SQL that reverts it. Leave this file empty if it cannot be reverted.\n");
    CHECK_FALSE(std::filesystem::exists(project.migrations() / "HEAD"));
    ProcessResult history = project.run("migrate-history");
    CHECK_THAT(history.out, Contains("000002_add_b"));
  }
}
