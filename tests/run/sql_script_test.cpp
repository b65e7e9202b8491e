// The --sql script: what the executor would run, written out. Run with sqlite3_exec on a fresh
// database file, it must produce the same schema objects, data and state rows as the executor
// produces on another fresh file; and rendering it never touches the database.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "run/sql_script.hpp"
#include "support/migration_project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

constexpr const char* kAuthors =
    "-- Authors' and books' tables.\n"
    "-- migrate:up\n"
    "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE books (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  author_id INTEGER NOT NULL REFERENCES authors (id),\n"
    "  title TEXT\n"
    ");\n"
    "INSERT INTO authors VALUES (1, 'Ada'), (2, 'O''Brian');\n"
    "INSERT INTO books VALUES (10, 1, 'Notes; part 1'), (11, 2, 'C'), (12, 2, 'Unix');\n"
    "-- migrate:down\n"
    "DROP TABLE books;\n"
    "DROP TABLE authors;\n";

constexpr const char* kRebuild =
    "-- Give authors a birth year.\n"
    "-- migrate:up foreign_keys:off\n"
    "CREATE TABLE authors_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born INTEGER);\n"
    "INSERT INTO authors_new (id, name) SELECT id, name FROM authors;\n"
    "DROP TABLE authors;\n"
    "ALTER TABLE authors_new RENAME TO authors;\n"
    "-- migrate:down foreign_keys:off\n"
    "ALTER TABLE authors DROP COLUMN born;\n";

constexpr const char* kStepByStep =
    "-- Index the titles, outside a transaction.\n"
    "-- migrate:up transaction:false\n"
    "CREATE INDEX books_title ON books (title);\n"
    "UPDATE authors SET born = 1815 WHERE id = 1;\n"
    "-- migrate:down transaction:false\n"
    "DROP INDEX books_title;\n";

constexpr const char* kOwnTransaction =
    "-- migrate:up\n"
    "BEGIN;\n"
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n"
    "INSERT INTO tags (label) VALUES ('classic');\n"
    "COMMIT;\n"
    "-- migrate:down\n"
    "DROP TABLE tags;\n";

constexpr const char* kTrigger =
    "-- Log new books.\n"
    "-- migrate:up\n"
    "CREATE TABLE log (msg TEXT);\n"
    "CREATE TRIGGER books_log AFTER INSERT ON books BEGIN\n"
    "  INSERT INTO log VALUES ('book; ' || new.title);\n"
    "END;\n"
    "INSERT INTO books VALUES (13, 1, 'More notes')\n"
    "-- the trigger logs it\n"
    "-- migrate:down\n"
    "DROP TRIGGER books_log;\n"
    "DROP TABLE log;\n";

/// Schema objects with their SQL, every table's rows, and the state table's rows (without the
/// measured duration): what must be equal after the script and after the executor.
Rows contents(const std::filesystem::path& file) {
  Rows rows =
      sqlite_rows(file, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
  for (const std::string& table : schema_objects(file)) {
    rows.push_back({"-- rows of " + table});
    std::string select =
        table == "schema_migrations"
            ? "SELECT id, checksum, applied_at, applied_by, git_commit, title, down_sql, "
              "statements_done, statements_total, typeof(duration_ms) FROM schema_migrations"
            : "SELECT * FROM \"" + table + "\"";
    for (const auto& row : sqlite_rows(file, select + " ORDER BY 1")) {
      rows.push_back(row);
    }
  }
  return rows;
}

/// A fresh, empty database file.
std::filesystem::path fresh(const MigrationProject& project, std::string_view name) {
  std::filesystem::path file = project.dir / name;
  write_text(file, "");
  return file;
}

std::string render(MigrationProject& project, const Plan& plan, const ExecutionOptions& options) {
  ProjectConnection& c = project.connection();
  return render_sql_script(plan, c.db, c.state, project.clock, options);
}

}  // namespace

TEST_CASE("sql_script: the script of a simple upgrade, exactly", "[run]") {
  MigrationProject project;
  project.write("001_a.sql",
                "-- Create a.\n-- migrate:up\nCREATE TABLE a (x);;\n"
                "-- migrate:down\nDROP TABLE 'a';\n");
  Plan plan = project.plan_upgrade();
  std::string checksum = project.graph().at(0).checksum;
  CHECK(render(project, plan, project.options) ==
        "-- migrate --sql: 1 step for sqlite://" + project.database.string() +
            ", written 2026-11-21T14:23:05.123Z. Nothing was run.\n"
            "PRAGMA foreign_keys = ON;\n"
            "\n"
            "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (\n"
            "  id TEXT PRIMARY KEY,\n"
            "  checksum TEXT NOT NULL,\n"
            "  applied_at TEXT NOT NULL,\n"
            "  duration_ms INTEGER NOT NULL DEFAULT 0,\n"
            "  applied_by TEXT,\n"
            "  git_commit TEXT,\n"
            "  title TEXT,\n"
            "  down_sql TEXT,\n"
            "  statements_done INTEGER,\n"
            "  statements_total INTEGER\n"
            ");\n"
            "\n"
            "-- apply 001_a: Create a.\n"
            "BEGIN;\n"
            "CREATE TABLE a (x);\n"
            "INSERT INTO \"schema_migrations\" (id, checksum, applied_at, duration_ms, "
            "applied_by, git_commit, title, down_sql, statements_done, statements_total) VALUES "
            "('001', '" +
            checksum +
            "', '2026-11-21T14:23:05.123Z', '0', 'tester', '0123456789abcdef', 'Create a.', "
            "'-- migrate:down\nDROP TABLE ''a'';', NULL, NULL);\n"
            "COMMIT;\n");
}

TEST_CASE("sql_script: rendering touches nothing", "[run]") {
  MigrationProject project;
  project.write("001_authors.sql", kAuthors);
  project.write("002_rebuild.sql", kRebuild);
  Plan plan = project.plan_upgrade();
  Rows before = contents(project.database);
  std::string script = render(project, plan, project.options);
  CHECK_THAT(script, Catch::Contains("-- apply 002_rebuild: Give authors a birth year.\n"
                                     "PRAGMA foreign_keys = OFF;\nBEGIN;\n"));
  CHECK_THAT(script, Catch::Contains("PRAGMA foreign_key_check;  -- must return no rows\n"));
  CHECK(contents(project.database) == before);
  CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
}

TEST_CASE("sql_script: run by hand, the upgrade script matches the executor", "[run]") {
  MigrationProject project;
  project.write("001_authors.sql", kAuthors);
  project.write("002_rebuild.sql", kRebuild);
  project.write("003_step_by_step.sql", kStepByStep);
  project.write("004_own_transaction.sql", kOwnTransaction);
  project.write("005_trigger.sql", kTrigger);

  Plan plan = project.plan_upgrade();
  REQUIRE(plan.steps.size() == 5);
  std::string script = render(project, plan, project.options);
  std::filesystem::path by_hand = fresh(project, "by_hand.db");
  sqlite_exec(by_hand, script);

  CHECK(project.run(plan).applied == 5);
  CHECK(contents(by_hand) == contents(project.database));
  // What both contain, to be sure the comparison compares something.
  CHECK(schema_objects(by_hand) ==
        std::vector<std::string>{"authors", "books", "log", "schema_migrations", "tags"});
  CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "002", "003", "004", "005"});
  CHECK(sqlite_column(by_hand, "SELECT msg FROM log") ==
        std::vector<std::string>{"book; More notes"});
  CHECK(sqlite_rows(by_hand, "SELECT id, name, born FROM authors ORDER BY id") ==
        Rows{{"1", "Ada", "1815"}, {"2", "O'Brian", "NULL"}});
  CHECK(sqlite_rows(by_hand,
                    "SELECT id, statements_done, statements_total FROM schema_migrations WHERE "
                    "id = '003'") == Rows{{"003", "2", "2"}});
  CHECK(sqlite_rows(by_hand, "PRAGMA foreign_key_check").empty());

  SECTION("and so does the downgrade script") {
    Plan down = project.plan_downgrade("base");
    REQUIRE(down.steps.size() == 5);
    std::string down_script = render(project, down, project.options);
    sqlite_exec(by_hand, down_script);
    CHECK(project.run(down).reverted == 5);
    CHECK(contents(by_hand) == contents(project.database));
    CHECK(schema_objects(by_hand) == std::vector<std::string>{"schema_migrations"});
    CHECK(applied_ids(by_hand).empty());
  }
  SECTION("and so does a downgrade to an id") {
    Plan down = project.plan_downgrade("002");
    REQUIRE(down.steps.size() == 3);
    sqlite_exec(by_hand, render(project, down, project.options));
    project.run(down);
    CHECK(contents(by_hand) == contents(project.database));
    CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "002"});
  }
}

TEST_CASE("sql_script: --single-transaction wraps the whole script once", "[run]") {
  MigrationProject project;
  project.options.single_transaction = true;
  project.write("001_authors.sql", kAuthors);
  project.write("002_more.sql",
                "-- migrate:up\nCREATE TABLE more (x);\nINSERT INTO more VALUES (1);\n");
  Plan plan = project.plan_upgrade();
  std::string script = render(project, plan, project.options);
  std::size_t begin = script.find("BEGIN;\n");
  REQUIRE(begin != std::string::npos);
  CHECK(script.find("BEGIN;", begin + 1) == std::string::npos);
  CHECK(script.ends_with("COMMIT;\n"));
  CHECK(script.find("COMMIT;") == script.size() - 8);

  std::filesystem::path by_hand = fresh(project, "by_hand.db");
  sqlite_exec(by_hand, script);
  project.run(plan);
  CHECK(contents(by_hand) == contents(project.database));
  CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "002"});
}

TEST_CASE("sql_script: --fake writes only the state rows", "[run]") {
  MigrationProject project;
  project.options.fake = true;
  project.write("001_authors.sql", kAuthors);
  project.write("002_step_by_step.sql",
                "-- migrate:up transaction:false\nCREATE TABLE x (a);\nCREATE TABLE y (a);\n");
  Plan plan = project.plan_upgrade();
  std::string script = render(project, plan, project.options);
  CHECK_THAT(script, !Catch::Contains("CREATE TABLE authors"));
  CHECK_THAT(script, !Catch::Contains("CREATE TABLE x"));
  std::filesystem::path by_hand = fresh(project, "by_hand.db");
  sqlite_exec(by_hand, script);
  project.run(plan);
  CHECK(contents(by_hand) == contents(project.database));
  CHECK(schema_objects(by_hand) == std::vector<std::string>{"schema_migrations"});
  CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "002"});
}

TEST_CASE("sql_script: resuming a partly applied section", "[run]") {
  MigrationProject project;
  project.write("001_steps.sql",
                "-- migrate:up transaction:false\n"
                "CREATE TABLE a (x);\n"
                "INSERT INTO b VALUES (1);\n"
                "CREATE TABLE c (x);\n");
  CHECK_THROWS_AS(project.upgrade(), MigrationFailed);
  std::filesystem::path by_hand = project.dir / "by_hand.db";
  std::filesystem::copy_file(project.database, by_hand);
  sqlite_exec(project.database, "CREATE TABLE b (x)");
  sqlite_exec(by_hand, "CREATE TABLE b (x)");

  Plan plan = project.plan_upgrade();
  REQUIRE(plan.steps.size() == 1);
  REQUIRE(plan.steps[0].kind == PlanStep::Kind::resume);
  std::string script = render(project, plan, project.options);
  CHECK_THAT(script, !Catch::Contains("CREATE TABLE a"));
  CHECK_THAT(script, !Catch::Contains("BEGIN;"));
  sqlite_exec(by_hand, script);
  project.run(plan);
  CHECK(contents(by_hand) == contents(project.database));
  CHECK(sqlite_rows(by_hand, "SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"3", "3"}});
  CHECK(schema_objects(by_hand) == std::vector<std::string>{"a", "b", "c", "schema_migrations"});
}

TEST_CASE("sql_script: a renumbered migration's re-key", "[run]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_mine.sql", "-- migrate:up\nCREATE TABLE mine (x);\n");
  project.upgrade();
  std::filesystem::path by_hand = project.dir / "by_hand.db";
  std::filesystem::copy_file(project.database, by_hand);
  project.remove("002_mine.sql");
  project.write("003_upstream.sql", "-- migrate:up\nCREATE TABLE upstream (x);\n");
  project.write("004_mine.sql", "-- depends: 003\n-- migrate:up\nCREATE TABLE mine (x);\n");
  Plan plan = project.plan_upgrade();
  std::string script = render(project, plan, project.options);
  CHECK_THAT(script,
             Catch::Contains("UPDATE \"schema_migrations\" SET id = '004' WHERE id = '002';\n"));
  sqlite_exec(by_hand, script);
  project.run(plan);
  CHECK(contents(by_hand) == contents(project.database));
  CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "003", "004"});
}

TEST_CASE("sql_script: --single-transaction refuses what the run would refuse", "[run]") {
  MigrationProject project;
  project.options.single_transaction = true;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  SECTION("transaction:false") {
    project.write("002_b.sql", "-- migrate:up transaction:false\nCREATE TABLE b (x);\n");
    Plan plan = project.plan_upgrade();
    try {
      render(project, plan, project.options);
      FAIL("rendered");
    } catch (const UsageError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      CHECK_THAT(e.what(), Catch::StartsWith("--single-transaction cannot include 002_b: its "
                                             "section is transaction:false."));
    }
  }
  SECTION("its own BEGIN/COMMIT") {
    project.write("002_b.sql", "-- migrate:up\nBEGIN;\nCREATE TABLE b (x);\nCOMMIT;\n");
    Plan plan = project.plan_upgrade();
    CHECK_THROWS_WITH(render(project, plan, project.options),
                      Catch::Contains("002_b: its section has its own BEGIN/COMMIT"));
  }
  SECTION("--fake runs nothing, so nothing is refused") {
    project.write("002_b.sql", "-- migrate:up transaction:false\nCREATE TABLE b (x);\n");
    project.options.fake = true;
    Plan plan = project.plan_upgrade();
    std::filesystem::path by_hand = fresh(project, "by_hand.db");
    sqlite_exec(by_hand, render(project, plan, project.options));
    project.run(plan);
    CHECK(contents(by_hand) == contents(project.database));
    CHECK(applied_ids(by_hand) == std::vector<std::string>{"001", "002"});
  }
}

TEST_CASE("sql_script: --fake on a partly applied section matches the executor", "[run]") {
  MigrationProject project;
  project.write("001_steps.sql",
                "-- migrate:up transaction:false\n"
                "CREATE TABLE a (x);\n"
                "INSERT INTO b VALUES (1);\n"
                "CREATE TABLE c (x);\n");
  CHECK_THROWS_AS(project.upgrade(), MigrationFailed);
  std::filesystem::path by_hand = project.dir / "by_hand.db";
  std::filesystem::copy_file(project.database, by_hand);
  project.options.fake = true;
  Plan plan = project.plan_upgrade();
  std::string script = render(project, plan, project.options);
  CHECK_THAT(script, !Catch::Contains("CREATE TABLE c"));
  sqlite_exec(by_hand, script);
  project.run(plan);
  CHECK(contents(by_hand) == contents(project.database));
  CHECK(sqlite_rows(by_hand, "SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"3", "3"}});
}
