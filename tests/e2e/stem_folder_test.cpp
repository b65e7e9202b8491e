// A name-ordered folder (`format = stem`, maragudk/migrate's) run as maragudk/migrate runs it, on
// SQLite and PostgreSQL: the whole stem is the id, several files share a number, the files run
// in name order, each in its own transaction; an empty down file reverts nothing, a missing one
// is irreversible. The schema is compared with the same files sent whole, one by one, by the
// engine's own client, as maragudk/migrate sends them. history, current, graph and the web page
// show the stems; revisions name them; migrate-create writes the folder's next file; bad folders
// are refused with their files named and nothing changed.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>

#include "support/http_client.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/schema_dump.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"
#include "support/web_process.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// A database as these tests see it: how migrate is pointed at it, and how the engine's own
/// client reads it and replays files on a fresh one.
struct Target {
  std::string engine;
  Strings database;  ///< --database and the URL, or nothing (migrate.db)
  /// 0003-notes.up.sql: a block with ';' inside (a SQLite trigger, a PL/pgSQL function).
  std::string block, drop_block;
  std::function<Strings()> applied;                 ///< migrate's rows, by id
  std::function<Strings()> tables;                  ///< tables and views, migrate's too
  std::function<Strings(const std::string&)> rows;  ///< one column of a query
  std::function<Strings()> schema;                  ///< without migrate's table
  /// Sends each text whole, one by one, to a fresh database; then its schema.
  std::function<Strings(const Strings&)> replayed_schema;
};

Target sqlite_target(const Project& project, const TempDir& scratch) {
  std::filesystem::path db = project.db();
  return {"sqlite",
          {},
          "CREATE TRIGGER notes_stamp AFTER INSERT ON notes\nBEGIN\n  UPDATE notes SET body = "
          "body || '!' WHERE id = NEW.id;\nEND;",
          "DROP TRIGGER notes_stamp;",
          [db] { return std::filesystem::exists(db) ? applied_ids(db) : Strings{}; },
          [db] { return schema_objects(db); },
          [db](const std::string& sql) { return sqlite_column(db, sql); },
          [db] { return sqlite_schema(db); },
          [replay = scratch / "replay.db"](const Strings& files) {
            for (const std::string& text : files) {
              sqlite_exec(replay, "BEGIN;\n" + text + "\nCOMMIT;");
            }
            return sqlite_schema(replay);
          }};
}

Target postgres_target(const PostgresDatabase& db, const PostgresDatabase& replay) {
  return {"postgres",
          {"--database", db.url()},
          "CREATE FUNCTION note_count() RETURNS bigint AS $$\nBEGIN\n  RETURN (SELECT count(*) "
          "FROM notes);\nEND;\n$$ LANGUAGE plpgsql;",
          "DROP FUNCTION note_count();",
          [&db] {  // by text: applied_ids() sorts numbers
            return db.relations().empty()
                       ? Strings{}
                       : db.column("SELECT id FROM schema_migrations ORDER BY id COLLATE \"C\"");
          },
          [&db] { return db.relations(); },
          [&db](const std::string& sql) { return db.column(sql); },
          [&db] { return postgres_schema(db.url()); },
          [&replay](const Strings& files) {
            for (const std::string& text : files) {
              replay.exec("BEGIN;\n" + text + "\nCOMMIT;");
            }
            return postgres_schema(replay.url());
          }};
}

constexpr const char* kConfig = "[migrate]\n\tformat = stem\n";

/// The up files of the folder, in name order: what maragudk/migrate sends.
Strings up_files(const Target& target) {
  return {
      "-- The a table, with a first row.\n"
      "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);\n"
      "INSERT INTO a (id, name) VALUES (1, 'first');\n",
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));\n",
      "CREATE INDEX a_name ON a (name);\n", "INSERT INTO b (id, a_id) VALUES (1, 1);\n",
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n" + target.block + "\n"};
}

/// Every feature of a name-ordered folder: files sharing a number, two separators, a leading
/// comment as the title, an empty down file, a block with ';' inside; and what it does not read.
void add_stem_folder(const Project& project, const Target& target) {
  write_text(project.root() / "migrate.conf", kConfig);
  Strings up = up_files(target);
  project.add("0001_create_a.up.sql", up[0]);
  project.add("0001_create_a.down.sql", "DROP TABLE a;\n");
  project.add("0001_create_b.up.sql", up[1]);
  project.add("0001_create_b.down.sql", "DROP TABLE b;\n");
  project.add("0002_index_a.up.sql", up[2]);
  project.add("0002_index_a.down.sql", "DROP INDEX a_name;\n");
  project.add("0002_seed_b.up.sql", up[3]);
  project.add("0002_seed_b.down.sql", "");  // maragudk's `migrate create` leaves it so
  project.add("0003-notes.up.sql", up[4]);
  project.add("0003-notes.down.sql", target.drop_block + "\nDROP TABLE notes;\n");
  project.add("README.md", "Migrations for maragu.dev/migrate.\n");
  project.add("archive/0000_old.up.sql", "not read: maragudk/migrate reads one folder\n");
}

const Strings kAll{"0001_create_a", "0001_create_b", "0002_index_a", "0002_seed_b", "0003-notes"};

ProcessResult run(const Project& project, const Target& target, const std::string& tool,
                  Strings args = {}) {
  args.insert(args.end(), target.database.begin(), target.database.end());
  return project.run(tool, args);
}

void stem_round_trip(const Project& project, const Target& target) {
  INFO(target.engine);
  add_stem_folder(project, target);
  // A stem names a migration whole.
  ProcessResult to_b = run(project, target, "migrate-upgrade", {"0001_create_b"});
  INFO(to_b.out << to_b.err);
  REQUIRE(to_b.exit_code == 0);
  CHECK(target.applied() == Strings{"0001_create_a", "0001_create_b"});
  CHECK_THAT(to_b.out, Contains("apply  0001_create_a  The a table, with a first row."));
  CHECK_THAT(to_b.out, Contains("apply  0001_create_b  create b"));

  ProcessResult up = run(project, target, "migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(target.applied() == kAll);
  CHECK_THAT(up.out, Contains("is at 0003-notes"));
  CHECK(target.rows("SELECT title FROM schema_migrations ORDER BY id") ==
        Strings{"The a table, with a first row.", "create b", "index a", "seed b", "notes"});
  Strings schema = target.schema();
  CHECK(schema.size() >= 5);  // three tables, the index, the block
  CHECK(schema == target.replayed_schema(up_files(target)));
  target.rows("INSERT INTO notes (id, body) VALUES (1, 'hi') RETURNING id");
  if (target.engine == "sqlite") {  // the trigger ran whole
    CHECK(target.rows("SELECT body FROM notes") == Strings{"hi!"});
  } else {  // the function too
    CHECK(target.rows("SELECT note_count()") == Strings{"1"});
  }

  ProcessResult current = run(project, target, "migrate-current");
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("current   0003-notes (head)"));
  ProcessResult history = run(project, target, "migrate-history");
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Contains("applied   0001_create_b  create b"));

  // A unique start of a stem names it: down to 0002_index_a, through the empty down file,
  // which reverts nothing (b keeps its row).
  ProcessResult down = run(project, target, "migrate-downgrade", {"0002_i"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Contains("revert 0002_seed_b"));
  CHECK(target.applied() == Strings{"0001_create_a", "0001_create_b", "0002_index_a"});
  CHECK(target.rows("SELECT count(*) FROM b") == Strings{"1"});
  // 0001 starts two stems.
  ProcessResult ambiguous = run(project, target, "migrate-downgrade", {"0001"});
  CHECK(ambiguous.exit_code == 2);
  CHECK_THAT(ambiguous.err, Contains("revision '0001' is ambiguous: it starts 0001_create_a, "
                                     "0001_create_b"));
  CHECK(target.applied() == Strings{"0001_create_a", "0001_create_b", "0002_index_a"});

  ProcessResult base = run(project, target, "migrate-downgrade", {"base"});
  INFO(base.out << base.err);
  REQUIRE(base.exit_code == 0);
  CHECK(target.applied().empty());
  CHECK(target.tables() == Strings{"schema_migrations"});
}

/// A file that fails rolls back alone: the files before it stay applied, as in maragudk's
/// "runs until a bad migration file"; nothing of it stays.
void failing_file(const Project& project, const Target& target) {
  INFO(target.engine);
  write_text(project.root() / "migrate.conf", kConfig);
  project.add("1.up.sql", "CREATE TABLE a (id INTEGER);\n");
  project.add("2.up.sql", "CREATE TABLE c (id INTEGER);\nINSERT INTO missing VALUES (1);\n");
  project.add("3.up.sql", "CREATE TABLE d (id INTEGER);\n");
  ProcessResult up = run(project, target, "migrate-upgrade");
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains("migrations/2.up.sql:2: statement 2 of 2 in the up section of 2 "
                              "failed"));
  CHECK(target.applied() == Strings{"1"});                      // a stem of digits alone, read back
  CHECK(target.tables() == Strings{"a", "schema_migrations"});  // nothing of 2.up.sql
  ProcessResult again = run(project, target, "migrate-current");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("current   1"));
  CHECK_THAT(again.out, Contains("2, 3"));
}

}  // namespace

TEST_CASE("stem: a name-ordered folder runs as maragudk/migrate runs it, on SQLite",
          "[e2e][formats][stem]") {
  Project project;
  TempDir scratch;
  stem_round_trip(project, sqlite_target(project, scratch));
}

TEST_CASE("stem: a name-ordered folder runs as maragudk/migrate runs it, on PostgreSQL",
          "[e2e][formats][stem][postgres]") {
  PostgresDatabase db, replay;
  Project project;
  stem_round_trip(project, postgres_target(db, replay));
}

TEST_CASE("stem: each file in its own transaction, on SQLite", "[e2e][formats][stem]") {
  Project project;
  TempDir scratch;
  failing_file(project, sqlite_target(project, scratch));
}

TEST_CASE("stem: each file in its own transaction, on PostgreSQL",
          "[e2e][formats][stem][postgres]") {
  PostgresDatabase db, replay;
  Project project;
  failing_file(project, postgres_target(db, replay));
}

TEST_CASE("stem: a migration without a down file is irreversible, nothing is reverted",
          "[e2e][formats][stem]") {
  Project project;
  write_text(project.root() / "migrate.conf", kConfig);
  project.add("0001_a_up.sql", "CREATE TABLE a (id INTEGER);\n");
  project.add("0001_a_down.sql", "DROP TABLE a;\n");
  project.add("0001_b_up.sql", "CREATE TABLE b (id INTEGER);\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult base = project.run("migrate-downgrade", {"base"});
  CHECK(base.exit_code == 2);
  CHECK_THAT(base.err, Contains("it would revert irreversible migrations:\n  "
                                "migrations/0001_b_up.sql has no down section"));
  CHECK(applied_ids(project.db()) == Strings{"0001_a", "0001_b"});
  CHECK(schema_objects(project.db()) == Strings{"a", "b", "schema_migrations"});
}

TEST_CASE("stem: graph and the web page show the stems", "[e2e][formats][stem]") {
  Project project;
  write_text(project.root() / "migrate.conf", kConfig);
  project.add("0001_create_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  project.add("0001_create_b.up.sql", "CREATE TABLE b (id INTEGER);\n");
  project.add("0002_index_a.up.sql", "CREATE INDEX a_id ON a (id);\n");
  REQUIRE(project.run("migrate-upgrade", {"0001_create_b"}).exit_code == 0);
  ProcessResult dot = project.run("migrate-graph", {"--format", "dot"});
  INFO(dot.err);
  REQUIRE(dot.exit_code == 0);
  CHECK_THAT(dot.out, Contains("\"0001_create_a\" -> \"0001_create_b\""));
  CHECK_THAT(dot.out, Contains("\"0001_create_b\" -> \"0002_index_a\""));

  WebProcess server(project.root());
  HttpResponse response = http_get(server.port(), "/api/migrations/0001_create_b");
  INFO(response.error << response.body);
  REQUIRE(response.status == 200);
  nlohmann::json b = nlohmann::json::parse(response.body);
  CHECK(b["id"] == "0001_create_b");
  CHECK(b["stem"] == "0001_create_b");
  CHECK(b["parent_migrations"][0]["id"] == "0001_create_a");
  CHECK(b["child_migrations"][0]["id"] == "0002_index_a");
}

TEST_CASE("stem: migrate-create writes the folder's next file in its own style",
          "[e2e][formats][stem]") {
  Project project;
  write_text(project.root() / "migrate.conf", kConfig);
  project.add("0001_create_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  project.add("0001_create_a.down.sql", "DROP TABLE a;\n");
  project.add("0002_index_a.up.sql", "CREATE INDEX a_id ON a (id);\n");
  ProcessResult created = project.run("migrate-create", {"add c"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(created.out == "migrations/0003_add_c.up.sql\n");
  CHECK(read_text(project.migrations() / "0003_add_c.up.sql") ==
        "-- add c\n\n-- The SQL that applies the change.\n");
  CHECK(read_text(project.migrations() / "0003_add_c.down.sql") ==
        "-- The SQL that reverts it. Left empty, a downgrade reverts nothing (stem's rule).\n");
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "HEAD"));
  project.add("0003_add_c.up.sql", "-- add c\nCREATE TABLE c (id INTEGER);\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001_create_a", "0002_index_a", "0003_add_c"});

  // maragudk/migrate's own names: '-' and _up.sql.
  Project dashed;
  write_text(dashed.root() / "migrate.conf", kConfig);
  dashed.add("1-accounts_up.sql", "CREATE TABLE accounts (id INTEGER);\n");
  dashed.add("1-accounts_down.sql", "DROP TABLE accounts;\n");
  ProcessResult users = dashed.run("migrate-create", {"users"});
  INFO(users.err);
  REQUIRE(users.exit_code == 0);
  CHECK(users.out == "migrations/2-users_up.sql\n");
  CHECK(std::filesystem::exists(dashed.migrations() / "2-users_down.sql"));

  // A name that would not sort last: refused, nothing written.
  Project nine;
  write_text(nine.root() / "migrate.conf", kConfig);
  nine.add("9_nine.up.sql", "SELECT 9;\n");
  ProcessResult ten = nine.run("migrate-create", {"ten"});
  CHECK(ten.exit_code == 2);
  CHECK_THAT(ten.err, Contains("the new migration 10_ten would not come last: the folder runs "
                               "its files in name order, and 9_nine sorts after it"));
  CHECK(std::distance(std::filesystem::directory_iterator(nine.migrations()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("stem: bad folders are refused with their files named, nothing changed",
          "[e2e][formats][stem]") {
  Project project;
  write_text(project.root() / "migrate.conf", kConfig);
  project.add("0001_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  Strings before = sqlite_schema(project.db());
  auto refused = [&](const std::string& expected) {
    ProcessResult up = project.run("migrate-upgrade");
    INFO(up.out << up.err);
    CHECK(up.exit_code == 2);
    CHECK_THAT(up.err, Contains(expected));
    CHECK_THAT(up.err, Contains("migrations/ is read in the name-ordered (stem) format, as "
                                "`format = stem` in "));
    CHECK(applied_ids(project.db()) == Strings{"0001_a"});
    CHECK(sqlite_schema(project.db()) == before);
  };
  // A down file without its up file.
  project.add("0002_b.down.sql", "DROP TABLE b;\n");
  refused(
      "migrations/0002_b.down.sql: a down file without its up file: create 0002_b.up.sql "
      "beside it, or remove it");
  std::filesystem::remove(project.migrations() / "0002_b.down.sql");
  // Both suffix styles.
  project.add("0002_b_up.sql", "CREATE TABLE b (id INTEGER);\n");
  refused(
      "migrations/0002_b_up.sql: named with _up.sql/_down.sql, while 0001_a.up.sql is "
      "named with .up.sql/.down.sql: a name-ordered folder keeps one style, which "
      "migrate-create's new files follow. Rename it 0002_b.up.sql");
  std::filesystem::remove(project.migrations() / "0002_b_up.sql");
  // A file that is no name-ordered migration.
  project.add("0002_b.sql", "-- migrate:up\nCREATE TABLE b (id INTEGER);\n");
  refused(
      "migrations/0002_b.sql: not named as a name-ordered folder's migrations are: "
      "<stem>.up.sql and <stem>.down.sql (or <stem>_up.sql and <stem>_down.sql)");
}

TEST_CASE("stem: format = stem on a folder of another tool's files names each, runs nothing",
          "[e2e][formats][stem]") {
  Project project;
  project.add("20240101000000_create_notes.sql",
              "-- migrate:up\nCREATE TABLE notes (id INTEGER);\n\n-- migrate:down\nDROP TABLE "
              "notes;\n");
  project.add("20240102000000_seed.sql", "-- migrate:up\nSELECT 1;\n\n-- migrate:down\n");
  ProcessResult up = project.run("migrate-upgrade", {"--format", "stem"});
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("2 migration files are invalid:\n  "
                              "migrations/20240101000000_create_notes.sql: not named as a "
                              "name-ordered folder's migrations are"));
  CHECK_THAT(up.err, Contains("migrations/20240102000000_seed.sql: not named as"));
  CHECK_THAT(
      up.err,
      Contains("migrations/ is read in the name-ordered (stem) format, as --format stem says."));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("stem: a name-ordered folder read without format = stem says how to read it",
          "[e2e][formats][stem]") {
  Project project;
  project.add("0001_create_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  project.add("0001_create_b.up.sql", "CREATE TABLE b (id INTEGER);\n");
  ProcessResult shared = project.run("migrate-upgrade");
  CHECK(shared.exit_code == 2);
  CHECK_THAT(shared.err, Contains("duplicate id 0001: migrations/0001_create_a.up.sql and "
                                  "migrations/0001_create_b.up.sql. Give one of them a new id"));
  CHECK_THAT(shared.err, Contains("read it so with `format = stem` in migrate.conf's [migrate] "
                                  "section, or --format stem"));
  CHECK_FALSE(std::filesystem::exists(project.db()));

  Project underscored;
  underscored.add("0001_create_a_up.sql", "CREATE TABLE a (id INTEGER);\n");
  ProcessResult ours = underscored.run("migrate-upgrade");
  CHECK(ours.exit_code == 2);
  CHECK_THAT(ours.err, Contains("to read the folder so, say `format = stem`"));
  CHECK_FALSE(std::filesystem::exists(underscored.db()));
}
