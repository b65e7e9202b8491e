// migrate-upgrade as a user runs it, against real SQLite files.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::EndsWith;
using Strings = std::vector<std::string>;

namespace {

/// Two small migrations: a table, then a second table with a row.
void add_two(const Project& project) {
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add(
      "0002_create_b.sql",
      migration_text("CREATE TABLE b (y TEXT);\nINSERT INTO b VALUES ('one');", "DROP TABLE b;"));
}

}  // namespace

TEST_CASE("upgrade: applies the repository's example migrations to a new database",
          "[e2e][upgrade]") {
  Project project;
  project.add_example_migrations();
  ProcessResult result = project.run("migrate-upgrade");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("apply  202611010900_create_users"));
  CHECK_THAT(result.out, Contains("8 applied"));
  CHECK(schema_objects(project.db()) ==
        Strings{"author_stats", "post_tags", "posts", "schema_migrations", "tags", "users"});
  CHECK(applied_ids(project.db()).size() == 8);
  // users was rebuilt with display_name NOT NULL by the foreign_keys:off migration.
  CHECK(sqlite_column(project.db(),
                      "SELECT \"notnull\" FROM pragma_table_info('users') WHERE "
                      "name = 'display_name'") == Strings{"1"});

  ProcessResult again = project.run("migrate-upgrade");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("Nothing to upgrade"));
}

TEST_CASE("upgrade: records checksum, title, down SQL, user and duration", "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql",
              migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "-- Create a."));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  Rows rows = sqlite_rows(project.db(),
                          "SELECT id, checksum, title, down_sql, applied_by, duration_ms >= 0, "
                          "applied_at LIKE '____-__-__T__:__:__.___Z' FROM schema_migrations");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] == "0001");
  CHECK_THAT(rows[0][1], Catch::StartsWith("sha256:"));
  CHECK(rows[0][1].size() == 7 + 64);
  CHECK(rows[0][2] == "Create a.");
  CHECK(rows[0][3] == "-- migrate:down\nDROP TABLE a;");
  CHECK_FALSE(rows[0][4].empty());
  CHECK(rows[0][5] == "1");
  CHECK(rows[0][6] == "1");
}

TEST_CASE("upgrade: a failing 3rd statement leaves the database at the previous migration",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_broken.sql", migration_text("CREATE TABLE b (y TEXT);\n"
                                                "INSERT INTO b VALUES ('one');\n"
                                                "INSERT INTO nope VALUES (1);\n"
                                                "INSERT INTO b VALUES ('two');",
                                                "DROP TABLE b;"));
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 1);
  // Line 4 of the file: "-- migrate:up" is line 1, the failing INSERT line 4.
  CHECK_THAT(result.err, Contains("migrations/0002_broken.sql:4: statement 3 of 4"));
  CHECK_THAT(result.err, Contains("no such table: nope"));
  CHECK_THAT(result.err, Contains("INSERT INTO nope VALUES (1);"));
  CHECK_THAT(result.err, Contains("rolled back"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
  // The failing step's line says so; on one terminal, stdout comes before the error.
  CHECK_THAT(result.out, Contains("apply  0002_broken"));
  CHECK_THAT(result.out, EndsWith("failed\n"));
}

TEST_CASE("upgrade: on one stream, progress and the error come in the order they happened",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_broken.sql", migration_text("INSERT INTO nope VALUES (1);"));
  ProcessResult result = run_process(
      {"sh", "-c", "\"$0\" 2>&1", tool_path("migrate-upgrade").string()}, {.cwd = project.root()});
  CHECK(result.exit_code == 1);
  std::size_t heading = result.out.find("Upgrading");
  std::size_t first = result.out.find("0001_create_a");
  std::size_t failed = result.out.find("failed\n");
  std::size_t error = result.out.find("migrate-upgrade: error:");
  CHECK(heading < first);
  CHECK(first < failed);
  CHECK(failed < error);
  CHECK(error != std::string::npos);
}

TEST_CASE("upgrade: a note while a step runs does not split its progress line", "[e2e][upgrade]") {
  Project project;
  // Its own BEGIN/COMMIT: the executor notes that, while the step's line is open.
  project.add("0001_own.sql",
              migration_text("BEGIN;\nCREATE TABLE a (x INTEGER);\nCOMMIT;", "DROP TABLE a;"));
  ProcessResult result = run_process(
      {"sh", "-c", "\"$0\" 2>&1", tool_path("migrate-upgrade").string()}, {.cwd = project.root()});
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  std::size_t line = result.out.find("  apply  0001_own");
  REQUIRE(line != std::string::npos);
  std::string text = result.out.substr(line, result.out.find('\n', line) - line);
  CHECK_THAT(text, Contains("ok ("));
  CHECK_THAT(result.out, Contains("note: 0001_own has its own BEGIN/COMMIT"));
}

TEST_CASE("upgrade: an edited applied migration stops it with both checksums (exit 3)",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::string before = sqlite_column(project.db(), "SELECT checksum FROM schema_migrations")[0];
  project.add("0001_create_a.sql",
              migration_text("CREATE TABLE a (x INTEGER, z TEXT);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (y TEXT);", "DROP TABLE b;"));

  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Contains("migrations/0001_create_a.sql"));
  CHECK_THAT(result.err, Contains(before));
  CHECK_THAT(result.err, Contains("--allow-changed"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});

  ProcessResult allowed = project.run("migrate-upgrade", {"--allow-changed"});
  CHECK(allowed.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
}

TEST_CASE("upgrade: CRLF line endings and trailing spaces are not an edit", "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0001_create_a.sql",
              "-- migrate:up\r\nCREATE TABLE a (x INTEGER);   \r\n\r\n-- migrate:down\r\nDROP "
              "TABLE a;\r\n");
  ProcessResult result = project.run("migrate-current", {"--check"});
  CHECK(result.exit_code == 0);
}

TEST_CASE("upgrade: a pending migration older than the newest applied one", "[e2e][upgrade]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // 0002 arrives through a merge.
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));

  SECTION("--strict refuses, exit 3, nothing applied") {
    ProcessResult result = project.run("migrate-upgrade", {"--strict"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("--strict"));
    CHECK_THAT(result.err, Contains("0002_create_b.sql"));
    CHECK(applied_ids(project.db()) == Strings{"0001", "0003"});
  }
  SECTION("by default it is applied, with a note") {
    ProcessResult result = project.run("migrate-upgrade");
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("out of order"));
    CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003"});
  }
}

TEST_CASE("upgrade --sql prints the script and touches nothing", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  ProcessResult result = project.run("migrate-upgrade", {"--sql"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(project.db()));
  CHECK_THAT(result.out,
             Contains("BEGIN;\nCREATE TABLE a (x INTEGER);\nINSERT INTO \"schema_migrations\""));
  CHECK_THAT(result.out, Contains("INSERT INTO b VALUES ('one');"));
  CHECK_THAT(result.out, Contains("COMMIT;"));

  // The script is real: the sqlite3 shell runs it to the same result as migrate-upgrade.
  write_text(project.root() / "script.sql", result.out);
  std::filesystem::path by_hand = project.root() / "by_hand.db";
  ProcessResult shell =
      run_process({"sh", "-c", "sqlite3 by_hand.db < script.sql"}, {.cwd = project.root()});
  INFO(shell.err);
  REQUIRE(shell.exit_code == 0);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  CHECK(schema_objects(by_hand) == schema_objects(project.db()));
  CHECK(applied_ids(by_hand) == applied_ids(project.db()));
}

TEST_CASE("upgrade --dry-run prints the plan and why, and touches nothing", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  ProcessResult result = project.run("migrate-upgrade", {"--dry-run"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("1. apply  0002_create_b"));
  CHECK_THAT(result.out, Contains("pending"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(schema_objects(project.db()) == Strings{"a", "schema_migrations"});
}

TEST_CASE("upgrade --fake records the migrations without running them", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  ProcessResult result = project.run("migrate-upgrade", {"--fake"});
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}

TEST_CASE("upgrade to a target applies its ancestors only, +N the next N", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade", {"0002_create_b"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  REQUIRE(project.run("migrate-downgrade", {"base"}).exit_code == 0);
  REQUIRE(project.run("migrate-upgrade", {"+1"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  REQUIRE(project.run("migrate-upgrade", {"+2"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003"});
}

TEST_CASE("upgrade: +N past the last pending migration says how many there are (exit 2)",
          "[e2e][upgrade]") {
  Project project;
  add_two(project);
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade", {"+1"}).exit_code == 0);
  ProcessResult past = project.run("migrate-upgrade", {"+999"});
  CHECK(past.exit_code == 2);
  CHECK_THAT(past.err,
             Contains("upgrade +999: only 2 migrations are pending here: use +2, or head"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult none = project.run("migrate-upgrade", {"+1"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("upgrade +1: no migration is pending here"));
}

TEST_CASE("upgrade: head~N is a target", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  ProcessResult result = project.run("migrate-upgrade", {"head~1"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  ProcessResult past = project.run("migrate-upgrade", {"head~3"});
  CHECK(past.exit_code == 2);
  CHECK_THAT(past.err, Contains("goes past the first migration"));
}

TEST_CASE("upgrade: an unknown revision is reported before the database's problems",
          "[e2e][upgrade]") {
  Project project;
  add_two(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER, y TEXT);"));
  ProcessResult result = project.run("migrate-upgrade", {"0009"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("unknown revision '0009'"));
  CHECK_THAT(result.err, !Contains("changed"));
  // Also when the database cannot even be reached.
  ProcessResult unreachable =
      project.run("migrate-upgrade", {"0009", "--database", "postgres://nobody@127.0.0.1:1/none"});
  CHECK(unreachable.exit_code == 2);
  CHECK_THAT(unreachable.err, Contains("unknown revision '0009'"));
  ProcessResult downgrade = project.run("migrate-downgrade", {"0009"});
  CHECK(downgrade.exit_code == 2);
  CHECK_THAT(downgrade.err, Contains("unknown revision '0009'"));
}

TEST_CASE("upgrade: an up section with no statement is refused unless it is a merge (exit 2)",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  // What migrate-create writes, untouched: comments in both sections.
  project.add("0002_untouched.sql",
              "-- Untouched.\n-- migrate:up\n-- The SQL that applies the change.\n\n"
              "-- migrate:down\n-- The SQL that reverts it.\n");
  ProcessResult refused = project.run("migrate-upgrade");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err,
             Contains("migrations/0002_untouched.sql:3: nothing to apply: the up section of "
                      "0002_untouched has no statement"));
  CHECK_THAT(refused.err, Contains("--allow-empty"));
  CHECK_THAT(refused.out, !Contains("ok"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
  // --dry-run and --sql refuse too: the plan itself is wrong.
  CHECK(project.run("migrate-upgrade", {"--dry-run"}).exit_code == 2);
  // A target before it is fine.
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  // --fake runs nothing, so an empty section is no concern there.
  CHECK(project.run("migrate-upgrade", {"--fake", "--dry-run"}).exit_code == 0);
  // --allow-empty records it.
  ProcessResult allowed = project.run("migrate-upgrade", {"--allow-empty"});
  INFO(allowed.err);
  CHECK(allowed.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
}

TEST_CASE("upgrade: a merge migration may be empty", "[e2e][upgrade]") {
  Project project;
  project.add("0001_root.sql", migration_text("CREATE TABLE r (x INTEGER);", "DROP TABLE r;"));
  project.add("0002_left.sql", migration_text("CREATE TABLE l (x INTEGER);", "DROP TABLE l;"));
  project.add("0003_right.sql",
              migration_text("CREATE TABLE g (x INTEGER);", "DROP TABLE g;", "-- depends: 0001"));
  project.add("0004_merge.sql", migration_text("", "", "-- Merge.\n-- depends: 0002 0003"));
  ProcessResult result = project.run("migrate-upgrade");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002", "0003", "0004"});
}

TEST_CASE("upgrade --single-transaction is all or nothing", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  SECTION("a failure in the last migration leaves nothing applied") {
    project.add("0003_broken.sql", migration_text("INSERT INTO nope VALUES (1);", "SELECT 1;"));
    ProcessResult result = project.run("migrate-upgrade", {"--single-transaction"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("--single-transaction"));
    CHECK(applied_ids(project.db()).empty());
    CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
  }
  SECTION("success applies everything") {
    ProcessResult result = project.run("migrate-upgrade", {"--single-transaction"});
    CHECK(result.exit_code == 0);
    CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  }
  SECTION("a transaction:false section is refused before anything runs (exit 2)") {
    project.add("0003_vacuum.sql", "-- migrate:up transaction:false\nVACUUM;\n");
    ProcessResult result = project.run("migrate-upgrade", {"--single-transaction"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("0003_vacuum"));
    CHECK(applied_ids(project.db()).empty());
  }
}

TEST_CASE("upgrade: a renumbered migration is re-keyed, not run again", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // The hooks renumber 0002 to 0005 after a rebase: same content, new id.
  std::filesystem::rename(project.migrations() / "0002_create_b.sql",
                          project.migrations() / "0005_create_b.sql");
  ProcessResult current = project.run("migrate-current");
  CHECK_THAT(current.out, Contains("renamed   0002 is now 0005_create_b"));
  // An upgrade would still do something: not up to date, and --check says so.
  CHECK_THAT(current.out, Contains("none, but not up to date: 1 renamed, to re-key (below)"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  ProcessResult result = project.run("migrate-upgrade");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("re-key 0002 -> 0005_create_b"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0005"});
  CHECK(sqlite_column(project.db(), "SELECT count(*) FROM b") == Strings{"1"});
}

TEST_CASE("upgrade: a transaction:false section resumes after its last good statement",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_stepwise.sql", migration_text("CREATE TABLE x (n INTEGER);\n"
                                                  "INSERT INTO x VALUES (1);\n"
                                                  "INSERT INTO nope VALUES (2);\n"
                                                  "INSERT INTO x VALUES (3);",
                                                  "DROP TABLE x;")
                                       .replace(0, 13, "-- migrate:up transaction:false"));
  ProcessResult failed = project.run("migrate-upgrade");
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Contains("statement 3 of 4"));
  CHECK_THAT(failed.err, Contains("Statements 1-2 of 4 were applied and are recorded"));
  CHECK(sqlite_rows(project.db(),
                    "SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"2", "4"}});
  CHECK_THAT(project.run("migrate-current").out, Contains("partial"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);

  // Fix the failing statement: the rerun starts at statement 3, so 1 and 2 do not run twice.
  project.add("0001_stepwise.sql", migration_text("CREATE TABLE x (n INTEGER);\n"
                                                  "INSERT INTO x VALUES (1);\n"
                                                  "INSERT INTO x VALUES (2);\n"
                                                  "INSERT INTO x VALUES (3);",
                                                  "DROP TABLE x;")
                                       .replace(0, 13, "-- migrate:up transaction:false"));
  ProcessResult resumed = project.run("migrate-upgrade");
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Contains("resume"));
  CHECK(sqlite_column(project.db(), "SELECT n FROM x ORDER BY n") == Strings{"1", "2", "3"});
  CHECK(sqlite_rows(project.db(),
                    "SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"4", "4"}});
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 0);
}

TEST_CASE("upgrade: foreign_keys:off rebuilds a referenced table on a populated database",
          "[e2e][upgrade]") {
  Project project;
  project.add_example_migrations();
  REQUIRE(project.run("migrate-upgrade", {"202611061100"}).exit_code == 0);
  sqlite_exec(project.db(),
              "PRAGMA foreign_keys = ON;"
              "INSERT INTO users (id, email) VALUES (1, 'ada@example.com'), (2, 'bob@example.com');"
              "INSERT INTO posts (id, author_id, title) VALUES (10, 1, 'Hello'), (11, 2, 'Hi');"
              "INSERT INTO tags (id, name) VALUES (5, 'news');"
              "INSERT INTO post_tags VALUES (10, 5);");

  SECTION("with the option the rebuild succeeds and every reference still holds") {
    ProcessResult result = project.run("migrate-upgrade");
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    // display_name was added before these users existed: the rebuild fills it from the email.
    CHECK(sqlite_rows(project.db(), "SELECT id, display_name FROM users ORDER BY id") ==
          Rows{{"1", "ada@example.com"}, {"2", "bob@example.com"}});
    CHECK(sqlite_rows(project.db(), "SELECT id, author_id FROM posts ORDER BY id") ==
          Rows{{"10", "1"}, {"11", "2"}});
    CHECK(sqlite_rows(project.db(), "SELECT author_id, posts FROM author_stats ORDER BY 1") ==
          Rows{{"1", "1"}, {"2", "1"}});
    CHECK(sqlite_rows(project.db(), "PRAGMA foreign_key_check").empty());
    // And back: the down section rebuilds it again.
    ProcessResult down = project.run("migrate-downgrade", {"-1"});
    INFO(down.err);
    CHECK(down.exit_code == 0);
    CHECK(sqlite_column(project.db(), "SELECT count(*) FROM posts") == Strings{"2"});
  }
  SECTION("without the option, dropping users cascades into posts: the option matters") {
    std::filesystem::path file =
        project.migrations() / "202611071500_require_user_display_name.sql";
    std::string text = read_text(file);
    text.replace(text.find("-- migrate:up foreign_keys:off"), 30, "-- migrate:up");
    write_text(file, text);
    // migrate runs with foreign keys on (SQLite's default is off), so DROP TABLE users deletes
    // its rows first, and ON DELETE CASCADE takes every post with them.
    ProcessResult result = project.run("migrate-upgrade");
    CHECK(result.exit_code == 0);
    CHECK(sqlite_column(project.db(), "SELECT count(*) FROM users") == Strings{"2"});
    CHECK(sqlite_column(project.db(), "SELECT count(*) FROM posts") == Strings{"0"});
  }
}

TEST_CASE("upgrade: a rebuild that breaks a reference fails the foreign key check",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_tables.sql",
              migration_text("CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
                             "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));\n"
                             "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (1);",
                             "DROP TABLE child;\nDROP TABLE parent;"));
  project.add("0002_rebuild_losing_rows.sql",
              "-- migrate:up foreign_keys:off\n"
              "CREATE TABLE parent_new (id INTEGER PRIMARY KEY);\n"
              "DROP TABLE parent;\n"
              "ALTER TABLE parent_new RENAME TO parent;\n");
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("foreign_key_check"));
  CHECK_THAT(result.err, Contains("child"));
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  CHECK(sqlite_column(project.db(), "SELECT id FROM parent") == Strings{"1"});
}

TEST_CASE("upgrade -v prints every statement as it runs", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  ProcessResult result = project.run("migrate-upgrade", {"-v"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("[1/2] CREATE TABLE b (y TEXT);"));
  CHECK_THAT(result.out, Contains("[2/2] INSERT INTO b VALUES ('one');"));
}

TEST_CASE("upgrade -q prints nothing on success", "[e2e][upgrade]") {
  Project project;
  add_two(project);
  ProcessResult result = project.run("migrate-upgrade", {"-q"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("upgrade: another branch's migration with the same id is not called an edit",
          "[e2e][upgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  // Two people created 0002 in the same minute; this database ran the tags one.
  project.add("0002_create_tags.sql", migration_text("CREATE TABLE tags (x INTEGER);",
                                                     "DROP TABLE tags;", "-- Create tags."));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::filesystem::remove(project.migrations() / "0002_create_tags.sql");
  project.add("0002_create_posts.sql", migration_text("CREATE TABLE posts (x INTEGER);",
                                                      "DROP TABLE posts;", "-- Create posts."));
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Contains("It was applied as \"Create tags.\", the file is \"Create "
                                  "posts.\": perhaps another branch's migration with the same id"));
  CHECK_THAT(result.err, Contains("`migrate renumber`"));
  CHECK_THAT(result.err, Contains("Do not use --allow-changed for them"));
  CHECK_THAT(project.run("migrate-current").out,
             Contains("applied as \"Create tags.\": perhaps another branch's migration"));
  // An edit that keeps the title is an edit.
  project.add("0002_create_posts.sql", migration_text("CREATE TABLE tags (x INTEGER, y TEXT);",
                                                      "DROP TABLE tags;", "-- Create tags."));
  ProcessResult edited = project.run("migrate-upgrade");
  CHECK(edited.exit_code == 3);
  CHECK_THAT(edited.err, !Contains("another branch"));
  CHECK_THAT(edited.err, Contains("--allow-changed"));
}
