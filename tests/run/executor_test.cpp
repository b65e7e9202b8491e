// The executor against real SQLite files: each migration and its state row in one transaction,
// failures that leave the database exactly as before (with file:line, statement and SQLite's
// message), transaction:false progress and resume, foreign_keys:off table rebuilds, sections with
// their own BEGIN/COMMIT, --single-transaction, --fake, and the re-check that lets a second
// process find nothing left to do. Assertions read the file with the raw C API.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "migration/migration_parser.hpp"
#include "support/migration_project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

constexpr const char* kCreateAuthors =
    "-- Authors and their books.\n"
    "-- migrate:up\n"
    "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE books (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  author_id INTEGER NOT NULL REFERENCES authors (id),\n"
    "  title TEXT\n"
    ");\n"
    "INSERT INTO authors VALUES (1, 'Ada'), (2, 'Brian');\n"
    "INSERT INTO books VALUES (10, 1, 'Notes'), (11, 2, 'C'), (12, 2, 'Unix');\n"
    "\n"
    "-- migrate:down\n"
    "DROP TABLE books;\n"
    "DROP TABLE authors;\n";

/// The SQLite way to change a table: build the new one, copy, drop the old, rename.
std::string rebuild_authors(std::string_view options, std::string_view copy_where = "") {
  return fmt::format(
      "-- Give authors a birth year.\n"
      "-- migrate:up{}\n"
      "CREATE TABLE authors_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born INTEGER);\n"
      "INSERT INTO authors_new (id, name) SELECT id, name FROM authors{};\n"
      "DROP TABLE authors;\n"
      "ALTER TABLE authors_new RENAME TO authors;\n"
      "\n"
      "-- migrate:down{}\n"
      "ALTER TABLE authors DROP COLUMN born;\n",
      options, copy_where, options);
}

/// The schema (every object's SQL) and the state table's rows: "the database".
Rows snapshot(const std::filesystem::path& file, const std::string& table = "schema_migrations") {
  Rows rows =
      sqlite_rows(file, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
  bool has_state =
      !sqlite_rows(file, "SELECT 1 FROM sqlite_schema WHERE name = '" + table + "'").empty();
  if (has_state) {
    for (const auto& row : sqlite_rows(file, "SELECT * FROM \"" + table + "\" ORDER BY id")) {
      rows.push_back(row);
    }
  }
  return rows;
}

/// Runs `f`, expecting an Error; returns its exit code and message.
template <typename F>
std::pair<ExitCode, std::string> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.exit_code(), e.what()};
  }
  FAIL("no error thrown");
  return {ExitCode::success, ""};
}

}  // namespace

TEST_CASE("executor: upgrade applies each migration and records its row", "[run]") {
  MigrationProject project;
  project.write("001_create_users.sql",
                "-- Create users.\n"
                "--\n"
                "-- The first table.\n"
                "-- migrate:up\n"
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
                "CREATE VIEW user_names AS SELECT name FROM users;\n"
                "-- migrate:down\n"
                "DROP VIEW user_names;\n"
                "DROP TABLE users;\n");
  project.write("002_add_phone.sql",
                "-- migrate:up\n"
                "ALTER TABLE users ADD COLUMN phone TEXT;\n");
  ExecutionSummary summary = project.upgrade();
  CHECK(summary.applied == 2);
  CHECK(summary.skipped == 0);
  CHECK(summary.reverted == 0);
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"schema_migrations", "user_names", "users"});
  CHECK(sqlite_column(project.database, "SELECT name FROM pragma_table_info('users')") ==
        std::vector<std::string>{"id", "name", "phone"});

  const RevisionGraph& graph = project.graph();
  CHECK(sqlite_rows(project.database,
                    "SELECT id, checksum, applied_at, applied_by, git_commit, title, down_sql, "
                    "statements_done, statements_total, typeof(duration_ms) FROM "
                    "schema_migrations ORDER BY id") ==
        Rows{{"001", graph.at(0).checksum, kFixedTimestamp, "tester", "0123456789abcdef",
              "Create users.", "-- migrate:down\nDROP VIEW user_names;\nDROP TABLE users;", "NULL",
              "NULL", "integer"},
             {"002", graph.at(1).checksum, kFixedTimestamp, "tester", "0123456789abcdef",
              "add phone", "", "NULL", "NULL", "integer"}});
  CHECK(project.listener.events ==
        std::vector<std::string>{"start 001", "statement 001 1/2", "statement 001 2/2",
                                 "finish 001", "start 002", "statement 002 1/1", "finish 002"});
  CHECK_FALSE(project.connection().db.in_transaction());

  // Nothing left: a second run plans nothing and changes nothing.
  Rows before = snapshot(project.database);
  CHECK(project.plan_upgrade().empty());
  CHECK(project.upgrade().applied == 0);
  CHECK(snapshot(project.database) == before);
}

TEST_CASE("executor: a failing statement leaves schema and state table exactly as before",
          "[run]") {
  MigrationProject project;
  project.write("001_create_items.sql",
                "-- migrate:up\n"
                "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT UNIQUE);\n"
                "INSERT INTO items (name) VALUES ('first');\n"
                "-- migrate:down\n"
                "DROP TABLE items;\n");
  project.upgrade();
  Rows before = snapshot(project.database);
  Rows items_before = sqlite_rows(project.database, "SELECT * FROM items");

  SECTION("no such table: the line of the statement") {
    project.write("002_add_tags.sql",
                  "-- Add tags.\n"                                             // 1
                  "-- migrate:up\n"                                            // 2
                  "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n"  // 3
                  "INSERT INTO items (name) VALUES ('second');\n"              // 4
                  "\n"                                                         // 5
                  "-- copy the labels\n"                                       // 6
                  "INSERT INTO tag_labels (label)\n"                           // 7
                  "  SELECT label FROM tags;\n"                                // 8
                  "CREATE INDEX tags_label ON tags (label);\n"                 // 9
                  "-- migrate:down\n"
                  "DROP TABLE tags;\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK(message == project.file("002_add_tags.sql").string() +
                         ":7: statement 3 of 4 in the up section of 002_add_tags failed: no such "
                         "table: tag_labels\n"
                         "    INSERT INTO tag_labels (label)\n"
                         "      SELECT label FROM tags;\n"
                         "It was rolled back: the database is as it was before this run.");
  }
  SECTION("an error with a position: the line of the token") {
    project.write("002_add_tags.sql",
                  "-- migrate:up\n"                                            // 1
                  "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n"  // 2
                  "INSERT INTO items (name) VALUES ('second');\n"              // 3
                  "SELECT id,\n"                                               // 4
                  "       colour\n"                                            // 5
                  "FROM tags;\n"                                               // 6
                  "-- migrate:down\n"
                  "DROP TABLE tags;\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message, Catch::StartsWith(project.file("002_add_tags.sql").string() +
                                          ":5: statement 3 of 3 in the up section of "
                                          "002_add_tags failed: no such column: colour\n"));
  }
  SECTION("a constraint failing while the statement runs") {
    project.write("002_add_tags.sql",
                  "-- migrate:up\n"
                  "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n"
                  "INSERT INTO items (name) VALUES ('second');\n"
                  "\n"
                  "INSERT INTO items (name) VALUES ('first');\n"
                  "CREATE INDEX tags_label ON tags (label);\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message,
               Catch::StartsWith(project.file("002_add_tags.sql").string() +
                                 ":5: statement 3 of 4 in the up section of 002_add_tags failed: "
                                 "UNIQUE constraint failed: items.name\n"
                                 "    INSERT INTO items (name) VALUES ('first');\n"));
  }
  CHECK(snapshot(project.database) == before);
  CHECK(sqlite_rows(project.database, "SELECT * FROM items") == items_before);
  CHECK_FALSE(project.connection().db.in_transaction());
  CHECK_THAT(project.listener.events.back(), Catch::StartsWith("statement 002 3/"));
}

TEST_CASE("executor: a failure keeps the migrations before it in the same run", "[run]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_b.sql", "-- migrate:up\nCREATE TABLE b (x);\n");
  project.write("003_c.sql", "-- migrate:up\nCREATE TABLE c (x);\nINSERT INTO nope VALUES (1);\n");
  auto [code, message] = error_of([&] { project.upgrade(); });
  CHECK(code == ExitCode::failure);
  CHECK_THAT(message, Catch::EndsWith("It was rolled back: nothing of it is applied, and the 2 "
                                      "steps before it in this run stay done."));
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"a", "b", "schema_migrations"});
  CHECK(applied_ids(project.database) == std::vector<std::string>{"001", "002"});
}

TEST_CASE("executor: transaction:false records progress and a rerun resumes", "[run]") {
  MigrationProject project;
  project.write("001_backfill.sql",
                "-- Backfill step by step.\n"        // 1
                "-- migrate:up transaction:false\n"  // 2
                "CREATE TABLE a (x);\n"              // 3
                "INSERT INTO a VALUES (1);\n"        // 4
                "INSERT INTO b VALUES (2);\n"        // 5
                "CREATE TABLE c (x);\n"              // 6
                "-- migrate:down\n"
                "DROP TABLE c;\n"
                "DROP TABLE a;\n");
  auto [code, message] = error_of([&] { project.upgrade(); });
  CHECK(code == ExitCode::failure);
  CHECK_THAT(message, Catch::StartsWith(project.file("001_backfill.sql").string() +
                                        ":5: statement 3 of 4 in the up section of 001_backfill "
                                        "failed: no such table: b\n"
                                        "    INSERT INTO b VALUES (2);\n"));
  CHECK_THAT(message, Catch::EndsWith("\nStatements 1-2 of 4 were applied and are recorded: the "
                                      "section is partly applied. Fix the failing statement and "
                                      "run again: it resumes at statement 3."));
  // Statements 1 and 2 stay, with their progress recorded.
  CHECK(schema_objects(project.database) == std::vector<std::string>{"a", "schema_migrations"});
  CHECK(sqlite_column(project.database, "SELECT x FROM a") == std::vector<std::string>{"1"});
  std::string checksum = project.graph().at(0).checksum;
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total, checksum, title, applied_at "
                    "FROM schema_migrations") ==
        Rows{{"001", "2", "4", checksum, "Backfill step by step.", kFixedTimestamp}});
  CHECK(state_name(project.status().state[0]) == std::string("partial"));

  // The cause is fixed outside the migration; the rerun resumes at statement 3: statements 1
  // and 2 would fail if they ran again (the table exists) or double the row.
  sqlite_exec(project.database, "CREATE TABLE b (x)");
  Plan plan = project.plan_upgrade();
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].kind == PlanStep::Kind::resume);
  project.listener.events.clear();
  ExecutionSummary summary = project.run(plan);
  CHECK(summary.applied == 1);
  CHECK(project.listener.events == std::vector<std::string>{"start 001", "statement 001 3/4",
                                                            "statement 001 4/4", "finish 001"});
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"a", "b", "c", "schema_migrations"});
  CHECK(sqlite_column(project.database, "SELECT x FROM a") == std::vector<std::string>{"1"});
  CHECK(sqlite_column(project.database, "SELECT x FROM b") == std::vector<std::string>{"2"});
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total, checksum FROM "
                    "schema_migrations") == Rows{{"001", "4", "4", checksum}});
  CHECK(state_name(project.status().state[0]) == std::string("applied"));
  CHECK(project.plan_upgrade().empty());
}

TEST_CASE("executor: transaction:false failing at its first statement", "[run]") {
  MigrationProject project;
  project.write("001_x.sql",
                "-- migrate:up transaction:false\n"
                "INSERT INTO nope VALUES (1);\n"
                "CREATE TABLE a (x);\n");
  auto [code, message] = error_of([&] { project.upgrade(); });
  CHECK(code == ExitCode::failure);
  CHECK_THAT(message, Catch::Contains("statement 1 of 2"));
  CHECK_THAT(message, Catch::EndsWith("\nNone of its 2 statements ran; the section is recorded "
                                      "as started (0 of 2 done). Fix the failing statement and "
                                      "run again: it resumes at statement 1."));
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total FROM schema_migrations") ==
        Rows{{"001", "0", "2"}});
  sqlite_exec(project.database, "CREATE TABLE nope (x)");
  CHECK(project.upgrade().applied == 1);
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total FROM schema_migrations") ==
        Rows{{"001", "2", "2"}});
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"a", "nope", "schema_migrations"});
}

TEST_CASE("executor: foreign_keys:off rebuilds a referenced table of a populated database",
          "[run]") {
  MigrationProject project;
  project.write("001_authors.sql", kCreateAuthors);
  project.upgrade();
  ProjectConnection& c = project.connection();
  REQUIRE(sqlite_foreign_keys(c.db.handle()) == 1);
  std::string books_sql =
      sqlite_column(project.database, "SELECT sql FROM sqlite_schema WHERE name = 'books'").at(0);
  Rows before = snapshot(project.database);
  Rows data_before = sqlite_rows(project.database,
                                 "SELECT b.id, b.title, a.name FROM books b JOIN authors a ON "
                                 "a.id = b.author_id ORDER BY b.id");

  SECTION("with the option: rebuilt, every reference intact, the switch restored") {
    project.write("002_authors_born.sql", rebuild_authors(" foreign_keys:off"));
    CHECK(project.upgrade().applied == 1);
    CHECK(sqlite_column(project.database, "SELECT name FROM pragma_table_info('authors')") ==
          std::vector<std::string>{"id", "name", "born"});
    CHECK(sqlite_rows(project.database,
                      "SELECT b.id, b.title, a.name FROM books b JOIN authors a ON a.id = "
                      "b.author_id ORDER BY b.id") == data_before);
    CHECK(sqlite_column(project.database, "SELECT sql FROM sqlite_schema WHERE name = 'books'")
              .at(0) == books_sql);
    CHECK(sqlite_rows(project.database, "PRAGMA foreign_key_check").empty());
    CHECK(applied_ids(project.database) == std::vector<std::string>{"001", "002"});
    CHECK(sqlite_foreign_keys(c.db.handle()) == 1);
    // Enforced again on this connection, against the new table.
    CHECK_THROWS_WITH(c.db.execute("INSERT INTO books VALUES (13, 99, 'Ghost')"),
                      Catch::Contains("FOREIGN KEY constraint failed"));
    CHECK_THROWS_WITH(c.db.execute("DELETE FROM authors WHERE id = 2"),
                      Catch::Contains("FOREIGN KEY constraint failed"));

    // And back down, also with foreign keys off.
    CHECK(project.downgrade("-1").reverted == 1);
    CHECK(sqlite_column(project.database, "SELECT name FROM pragma_table_info('authors')") ==
          std::vector<std::string>{"id", "name"});
    CHECK(sqlite_foreign_keys(c.db.handle()) == 1);
  }
  SECTION("without the option: the DROP fails on the references and nothing changes") {
    project.write("002_authors_born.sql", rebuild_authors(""));
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message, Catch::StartsWith(
                            project.file("002_authors_born.sql").string() +
                            ":5: statement 3 of 4 in the up section of 002_authors_born "
                            "failed: FOREIGN KEY constraint failed\n    DROP TABLE authors;\n"));
    CHECK(snapshot(project.database) == before);
    CHECK(sqlite_foreign_keys(c.db.handle()) == 1);
  }
  SECTION("with the option, a rebuild that loses referenced rows fails the check, rolled back") {
    project.write("002_authors_born.sql", rebuild_authors(" foreign_keys:off", " WHERE id = 1"));
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message,
               Catch::StartsWith(project.file("002_authors_born.sql").string() +
                                 ": apply 002_authors_born (section foreign_keys:off): the "
                                 "foreign key check (PRAGMA foreign_key_check) failed: "));
    CHECK_THAT(message, Catch::Contains("books row 11 has no matching row in authors"));
    CHECK_THAT(message, Catch::Contains("books row 12 has no matching row in authors"));
    CHECK_THAT(message, !Catch::Contains("books row 10 "));
    CHECK_THAT(message, Catch::EndsWith("the database is as it was before this run."));
    CHECK(snapshot(project.database) == before);
    CHECK(sqlite_rows(project.database,
                      "SELECT b.id, b.title, a.name FROM books b JOIN authors a ON a.id = "
                      "b.author_id ORDER BY b.id") == data_before);
    CHECK(sqlite_foreign_keys(c.db.handle()) == 1);
    CHECK_FALSE(c.db.in_transaction());
  }
}

TEST_CASE("executor: foreign_keys:off leaves a connection whose foreign keys were off as it was",
          "[run]") {
  MigrationProject project;
  project.write("001_authors.sql", kCreateAuthors);
  project.write("002_authors_born.sql", rebuild_authors(" foreign_keys:off"));
  ProjectConnection& c = project.connection();
  c.db.execute(c.db.dialect().foreign_key_switch()->set(false));
  CHECK(project.upgrade().applied == 2);
  CHECK(sqlite_foreign_keys(c.db.handle()) == 0);
}

TEST_CASE("executor: a section with its own BEGIN/COMMIT runs as written", "[run]") {
  MigrationProject project;
  project.write("001_own.sql",
                "-- migrate:up\n"
                "BEGIN;\n"
                "CREATE TABLE a (x);\n"
                "INSERT INTO a VALUES (1);\n"
                "COMMIT;\n"
                "BEGIN IMMEDIATE;\n"
                "CREATE TABLE b (x);\n"
                "END;\n"
                "-- migrate:down\n"
                "DROP TABLE b;\n"
                "DROP TABLE a;\n");
  SECTION("applied and recorded after it") {
    CHECK(project.upgrade().applied == 1);
    CHECK(schema_objects(project.database) ==
          std::vector<std::string>{"a", "b", "schema_migrations"});
    CHECK(sqlite_rows(project.database,
                      "SELECT id, statements_done, statements_total FROM schema_migrations") ==
          Rows{{"001", "NULL", "NULL"}});
    CHECK(project.listener.events.at(1) ==
          "note: 001_own has its own BEGIN/COMMIT: it runs as written, and its state row is "
          "written after it");
    CHECK(project.listener.events.back() == "finish 001");
    CHECK_FALSE(project.connection().db.in_transaction());
  }
  SECTION("a failure inside its transaction rolls that transaction back") {
    project.write("002_own_fails.sql",
                  "-- migrate:up\n"
                  "BEGIN;\n"
                  "CREATE TABLE c (x);\n"
                  "INSERT INTO nope VALUES (1);\n"
                  "COMMIT;\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message, Catch::Contains(":4: statement 3 of 4 in the up section of 002_own_fails"));
    CHECK_THAT(message, Catch::Contains("manages its own transactions"));
    CHECK(schema_objects(project.database) ==
          std::vector<std::string>{"a", "b", "schema_migrations"});
    CHECK(applied_ids(project.database) == std::vector<std::string>{"001"});
    CHECK_FALSE(project.connection().db.in_transaction());
  }
}

TEST_CASE("executor: --single-transaction is all or nothing", "[run]") {
  MigrationProject project;
  project.options.single_transaction = true;
  project.write("001_a.sql",
                "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n");
  project.write("002_b.sql",
                "-- migrate:up\nCREATE TABLE b (x);\n-- migrate:down\nDROP TABLE b;\n");
  SECTION("every migration applied") {
    project.write("003_c.sql", "-- migrate:up\nCREATE TABLE c (x);\n");
    ExecutionSummary summary = project.upgrade();
    CHECK(summary.applied == 3);
    CHECK(schema_objects(project.database) ==
          std::vector<std::string>{"a", "b", "c", "schema_migrations"});
    CHECK(applied_ids(project.database) == std::vector<std::string>{"001", "002", "003"});
    CHECK_FALSE(project.connection().db.in_transaction());
  }
  SECTION("a failure in the last one rolls back every one") {
    project.write("003_c.sql",
                  "-- migrate:up\nCREATE TABLE c (x);\nINSERT INTO nope VALUES (1);\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message, Catch::Contains(":3: statement 2 of 2 in the up section of 003_c failed"));
    CHECK_THAT(message, Catch::EndsWith("Everything was rolled back (--single-transaction): no "
                                        "migration of this run is applied."));
    CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
    CHECK(applied_ids(project.database).empty());
    CHECK_FALSE(project.connection().db.in_transaction());
  }
  SECTION("refused before anything runs when a section is transaction:false") {
    project.write("003_c.sql", "-- migrate:up transaction:false\nCREATE TABLE c (x);\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::bad_input);
    CHECK(message ==
          "--single-transaction cannot include 003_c: its section is "
          "transaction:false. Nothing was run; run without --single-transaction, "
          "or stop at the migration before it first");
    CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
    CHECK(applied_ids(project.database).empty());
    CHECK(project.listener.events.empty());
  }
  SECTION("refused for a section with its own BEGIN/COMMIT") {
    project.write("003_c.sql", "-- migrate:up\nBEGIN;\nCREATE TABLE c (x);\nCOMMIT;\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::bad_input);
    CHECK_THAT(message, Catch::Contains("003_c: its section has its own BEGIN/COMMIT"));
    CHECK(applied_ids(project.database).empty());
  }
  SECTION("downgrade in one transaction") {
    project.options.single_transaction = false;
    project.upgrade();
    project.options.single_transaction = true;
    CHECK(project.downgrade("base").reverted == 2);
    CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
    CHECK(applied_ids(project.database).empty());
  }
}

TEST_CASE("executor: --fake records the migrations without running them", "[run]") {
  MigrationProject project;
  project.options.fake = true;
  project.write(
      "001_a.sql",
      "-- Create a.\n-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n");
  project.write("002_b.sql", "-- migrate:up transaction:false\nCREATE TABLE b (x);\nBROKEN SQL;\n");
  project.write("003_c.sql",
                "-- migrate:up foreign_keys:off\nBEGIN;\nDROP TABLE nothing;\nCOMMIT;\n"
                "-- migrate:down\nDROP TABLE a;\n");
  ExecutionSummary summary = project.upgrade();
  CHECK(summary.recorded == 3);  // nothing ran
  CHECK(summary.applied == 0);
  CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
  const RevisionGraph& graph = project.graph();
  CHECK(sqlite_rows(project.database,
                    "SELECT id, checksum, title, down_sql, statements_done, statements_total "
                    "FROM schema_migrations ORDER BY id") ==
        Rows{{"001", graph.at(0).checksum, "Create a.", "-- migrate:down\nDROP TABLE a;", "NULL",
              "NULL"},
             {"002", graph.at(1).checksum, "b", "", "NULL", "NULL"},
             {"003", graph.at(2).checksum, "c", "-- migrate:down\nDROP TABLE a;", "NULL", "NULL"}});
  for (const std::string& event : project.listener.events) {
    CHECK_THAT(event, !Catch::StartsWith("statement"));
  }
  CHECK(project.plan_upgrade().empty());
  // Faking a downgrade deletes the rows only.
  sqlite_exec(project.database, "CREATE TABLE a (x)");
  CHECK(project.downgrade("-1").reverted == 1);
  CHECK(applied_ids(project.database) == std::vector<std::string>{"001", "002"});
  CHECK(schema_objects(project.database) == std::vector<std::string>{"a", "schema_migrations"});
}

TEST_CASE("executor: the re-check skips what another connection applied meanwhile", "[run]") {
  MigrationProject project;
  project.write("001_a.sql",
                "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n");
  project.write("002_b.sql",
                "-- migrate:up transaction:false\nCREATE TABLE b (x);\nCREATE TABLE b2 (x);\n"
                "-- migrate:down\nDROP TABLE b2;\nDROP TABLE b;\n");
  project.write("003_c.sql",
                "-- migrate:up\nCREATE TABLE c (x);\n-- migrate:down\nDROP TABLE c;\n");

  // This process plans while everything is pending...
  Plan late = project.plan_upgrade();
  REQUIRE(late.steps.size() == 3);
  // ...and another process (its own connection to the same file) applies it all first.
  std::unique_ptr<ProjectConnection> other = project.connect();
  ExecutionSummary first = project.run(project.plan_upgrade({}, *other), *other, project.options);
  CHECK(first.applied == 3);
  Rows after_other = snapshot(project.database);

  project.listener.events.clear();
  ExecutionSummary second = project.run(late);
  CHECK(second.applied == 0);
  CHECK(second.skipped == 3);
  CHECK(project.listener.events ==
        std::vector<std::string>{"start 001", "skip 001: already applied by another process",
                                 "start 002", "skip 002: already applied by another process",
                                 "start 003", "skip 003: already applied by another process"});
  CHECK(snapshot(project.database) == after_other);
  CHECK_FALSE(project.connection().db.in_transaction());

  // The same for a downgrade planned before another process reverted.
  Plan late_down = project.plan_downgrade("-2");
  ExecutionSummary down =
      project.run(project.plan_downgrade("-2", *other), *other, project.options);
  CHECK(down.reverted == 2);
  ExecutionSummary skipped = project.run(late_down);
  CHECK(skipped.reverted == 0);
  CHECK(skipped.skipped == 2);
  CHECK(schema_objects(project.database) == std::vector<std::string>{"a", "schema_migrations"});
  CHECK(applied_ids(project.database) == std::vector<std::string>{"001"});
}

TEST_CASE("executor: downgrade runs the down sections and deletes the rows", "[run]") {
  MigrationProject project;
  project.write("001_a.sql",
                "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n");
  project.write("002_b.sql",
                "-- migrate:up\nCREATE TABLE b (x);\n-- migrate:down\nDROP TABLE b;\n");
  project.write("003_c.sql",
                "-- migrate:up\nCREATE TABLE c (x);\n"
                "-- migrate:down transaction:false\nDROP TABLE c;\n");
  project.upgrade();
  CHECK(project.downgrade("-1").reverted == 1);
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"a", "b", "schema_migrations"});
  CHECK(applied_ids(project.database) == std::vector<std::string>{"001", "002"});
  CHECK(project.downgrade("base").reverted == 2);
  CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
  CHECK(applied_ids(project.database).empty());
}

TEST_CASE("executor: a failing down section is rolled back and stays applied", "[run]") {
  MigrationProject project;
  project.write("001_a.sql",
                "-- migrate:up\nCREATE TABLE a (x);\n"
                "-- migrate:down\n"   // 3
                "DROP TABLE a;\n"     // 4
                "DROP TABLE nope;\n"  // 5
  );
  project.upgrade();
  Rows before = snapshot(project.database);
  auto [code, message] = error_of([&] { project.downgrade("base"); });
  CHECK(code == ExitCode::failure);
  CHECK_THAT(message, Catch::StartsWith(project.file("001_a.sql").string() +
                                        ":5: statement 2 of 2 in the down section of 001_a "
                                        "failed: no such table: nope\n"));
  CHECK(snapshot(project.database) == before);
}

TEST_CASE("executor: an orphan is reverted from its stored down SQL", "[run]") {
  MigrationProject project;
  project.write("001_a.sql",
                "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n");
  project.write("002_other_branch.sql",
                "-- From another branch.\n"
                "-- migrate:up\nCREATE TABLE o (x);\nCREATE INDEX o_x ON o (x);\n"
                "-- migrate:down transaction:false\nDROP INDEX o_x;\nDROP TABLE o;\n");
  project.upgrade();
  project.remove("002_other_branch.sql");  // checked out a branch without it
  project.load();
  DatabaseStatus status = project.status();
  REQUIRE(status.orphans.size() == 1);
  Plan plan = project.plan_downgrade("-1");
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].migration == nullptr);
  CHECK_FALSE(plan.steps[0].section.options.transaction);
  CHECK(project.run(plan).reverted == 1);
  CHECK(schema_objects(project.database) == std::vector<std::string>{"a", "schema_migrations"});
  CHECK(applied_ids(project.database) == std::vector<std::string>{"001"});
}

TEST_CASE("executor: a renumbered migration is re-keyed, not re-run", "[run]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_mine.sql", "-- Mine.\n-- migrate:up\nCREATE TABLE mine (x);\n");
  project.upgrade();
  // A rebase: upstream's 003 arrives, and mine becomes 004, after it.
  project.remove("002_mine.sql");
  project.write("003_upstream.sql", "-- migrate:up\nCREATE TABLE upstream (x);\n");
  project.write("004_mine.sql",
                "-- Mine.\n-- depends: 003_upstream\n-- migrate:up\nCREATE TABLE mine (x);\n");
  project.clock = FixedClock(fixed_time() + std::chrono::hours(1));
  ExecutionSummary summary = project.upgrade();
  CHECK(summary.rekeyed == 1);
  CHECK(summary.applied == 1);
  CHECK(schema_objects(project.database) ==
        std::vector<std::string>{"a", "mine", "schema_migrations", "upstream"});
  const RevisionGraph& graph = project.graph();
  CHECK(sqlite_rows(project.database,
                    "SELECT id, checksum, applied_at FROM schema_migrations ORDER BY id") ==
        Rows{{"001", graph.at(0).checksum, kFixedTimestamp},
             {"003", graph.at(1).checksum, "2026-11-21T15:23:05.123Z"},
             {"004", graph.at(2).checksum, kFixedTimestamp}});
  CHECK(project.plan_upgrade().empty());
}

TEST_CASE("executor: --fake on a partly applied section records it as done", "[run]") {
  MigrationProject project;
  project.write("001_steps.sql",
                "-- migrate:up transaction:false\n"
                "CREATE TABLE a (x);\n"
                "INSERT INTO b VALUES (1);\n"
                "CREATE TABLE c (x);\n");
  CHECK_THROWS_AS(project.upgrade(), MigrationFailed);
  REQUIRE(sqlite_rows(project.database,
                      "SELECT statements_done, statements_total FROM schema_migrations") ==
          Rows{{"1", "3"}});
  // Finished by hand; --fake records it.
  project.options.fake = true;
  ExecutionSummary summary = project.upgrade();
  CHECK(summary.recorded == 1);
  CHECK(summary.skipped == 0);
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total, checksum FROM "
                    "schema_migrations") ==
        Rows{{"001", "3", "3", project.graph().at(0).checksum}});
  CHECK(schema_objects(project.database) == std::vector<std::string>{"a", "schema_migrations"});
  CHECK(project.plan_upgrade().empty());
}

TEST_CASE("executor: savepoints stay inside the migration's transaction", "[run]") {
  MigrationProject project;
  std::string up =
      "-- migrate:up\n"
      "CREATE TABLE a (x);\n"
      "SAVEPOINT sp;\n"
      "INSERT INTO a VALUES (1);\n"
      "ROLLBACK TRANSACTION TO SAVEPOINT sp;\n"
      "RELEASE sp;\n"
      "INSERT INTO a VALUES (2);\n";
  SECTION("applied in one transaction with its row") {
    project.write("001_savepoint.sql", up);
    CHECK(project.upgrade().applied == 1);
    CHECK(sqlite_column(project.database, "SELECT x FROM a") == std::vector<std::string>{"2"});
    for (const std::string& event : project.listener.events) {
      CHECK_THAT(event, !Catch::StartsWith("note:"));  // not run as its own transaction
    }
  }
  SECTION("a later failure rolls back the whole migration") {
    project.write("001_savepoint.sql", up + "INSERT INTO nope VALUES (3);\n");
    auto [code, message] = error_of([&] { project.upgrade(); });
    CHECK(code == ExitCode::failure);
    CHECK_THAT(message, Catch::Contains(":8: statement 7 of 7 in the up section"));
    CHECK_THAT(message, Catch::EndsWith("the database is as it was before this run."));
    CHECK(schema_objects(project.database) == std::vector<std::string>{"schema_migrations"});
    CHECK(applied_ids(project.database).empty());
  }
}
