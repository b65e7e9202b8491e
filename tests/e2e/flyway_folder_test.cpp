// A Flyway folder runs as Flyway runs it: V<version>__ files in version order (subfolders
// too), U<version>__ files as their down sections, ${placeholders} from migrate.conf and
// Flyway's built-ins, a file whose statements cannot run in a transaction outside one; and
// what Flyway refuses (an unknown placeholder, a file mixing both kinds of statements, two
// files of one version) refused before anything runs.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/hot_journal.hpp"
#include "support/interrupted_runs.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// Every feature of a Flyway folder that runs on both engines; `index` is the statement of
/// V1.2 (PostgreSQL builds it concurrently, outside a transaction).
void add_flyway_folder(const Project& project, const std::string& index) {
  write_text(project.root() / "migrate.conf",
             "[placeholders]\n\ttableName = users\n\tgreeting = hello\n");
  project.add("V1__create_users.sql",
              "-- The ${tableName} table.\n"
              "CREATE TABLE ${tableName} (id INTEGER PRIMARY KEY, name TEXT);\n"
              "INSERT INTO ${TABLENAME} (id, name) VALUES (1, '${Greeting}');\n");
  project.add("U1__create_users.sql",
              "DROP VIEW IF EXISTS user_names;\nDROP VIEW IF EXISTS user_count;\n"
              "DROP TABLE ${tableName};\n");
  project.add("V1_1__add_email.sql",
              "ALTER TABLE users ADD COLUMN email TEXT DEFAULT '${flyway:filename}';\n");
  project.add("U1_1__add_email.sql", "ALTER TABLE users DROP COLUMN email;\n");
  project.add("V1.2__index_users.sql", index + "\n");
  project.add("U1.2__index_users.sql", "DROP INDEX users_name;\n");
  project.add("later/V1.10__audit.sql",
              "CREATE TABLE audit (\n"
              "  by_table TEXT DEFAULT '${flyway:table}',\n"
              "  in_schema TEXT DEFAULT '${flyway:defaultSchema}',\n"
              "  at TEXT DEFAULT '${flyway:timestamp}'\n"
              ");\n");
  project.add("later/U1.10__audit.sql", "DROP TABLE audit;\n");
  // Repeatables: after every version, by description (a_counts, then user_names).
  project.add(
      "R__user_names.sql",
      "DROP VIEW IF EXISTS user_names;\nCREATE VIEW user_names AS SELECT name FROM users;\n");
  project.add("later/R__a_counts.sql",
              "DROP VIEW IF EXISTS user_count;\n"
              "CREATE VIEW user_count AS SELECT count(*) AS n FROM users;\n");
  project.add(".hidden/V3__never.sql", "CREATE TABLE never (x int);\n");
  project.add("beforeMigrate.sql", "CREATE TABLE callback (x int);\n");
  project.add("README.md", "Flyway's migrations.\n");
  project.add("V1__create_users.sql.conf", "executeInTransaction=true\n");
}

const Strings kAllVersions{"1", "1.1", "1.10", "1.2"};  // as the state table sorts its text
const Strings kRepeatables{"R__a_counts", "R__user_names"};

}  // namespace

TEST_CASE("flyway: a Flyway folder applied and reverted on SQLite", "[e2e][formats][flyway]") {
  Project project;
  add_flyway_folder(project, "CREATE INDEX users_name ON users (name);");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  Strings everything = kAllVersions;
  everything.insert(everything.end(), kRepeatables.begin(), kRepeatables.end());
  CHECK(applied_ids(project.db()) == everything);
  // In the order they ran: versions, then the repeatables by description.
  CHECK(sqlite_column(project.db(), "SELECT id FROM schema_migrations ORDER BY rowid") ==
        Strings{"1", "1.1", "1.2", "1.10", "R__a_counts", "R__user_names"});
  CHECK_THAT(up.err, Contains("note: migrations/: not migrations, so not run: README.md, "
                              "V1__create_users.sql.conf, beforeMigrate.sql (Flyway reads no "
                              "file but .sql ones"));
  CHECK(schema_objects(project.db()) ==
        Strings{"audit", "schema_migrations", "user_count", "user_names", "users"});
  CHECK(sqlite_rows(project.db(), "SELECT n FROM user_count") == Rows{{"1"}});
  CHECK(sqlite_column(project.db(),
                      "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                      "tbl_name = 'users'") == Strings{"users_name"});
  CHECK(sqlite_rows(project.db(), "SELECT id, name, email FROM users") ==
        Rows{{"1", "hello", "V1_1__add_email.sql"}});
  CHECK(sqlite_rows(project.db(),
                    "INSERT INTO audit DEFAULT VALUES RETURNING by_table, "
                    "in_schema, length(at)") == Rows{{"schema_migrations", "main", "19"}});
  CHECK(sqlite_column(project.db(), "SELECT title FROM schema_migrations WHERE id = '1'") ==
        Strings{"create users"});  // Flyway's description
  // The checksum is the file's, placeholders and all: the values never make it "changed".
  write_text(project.root() / "migrate.conf",
             "[placeholders]\n\ttableName = people\n\tgreeting = hi\n");
  ProcessResult again = project.run("migrate-upgrade");
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out + again.err, Contains("Nothing to upgrade"));
  write_text(project.root() / "migrate.conf",
             "[placeholders]\n\ttableName = users\n\tgreeting = hello\n");

  // Down to a version, then to the start.
  ProcessResult to_11 = project.run("migrate-downgrade", {"1.1"});
  INFO(to_11.out << to_11.err);
  REQUIRE(to_11.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "1.1"});
  ProcessResult base = project.run("migrate-downgrade", {"base"});
  INFO(base.out << base.err);
  REQUIRE(base.exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
}

TEST_CASE("flyway: a Flyway folder applied and reverted on PostgreSQL",
          "[e2e][formats][flyway][postgres]") {
  PostgresDatabase db;
  Project project;
  add_flyway_folder(project, "CREATE INDEX CONCURRENTLY users_name ON users (name);");
  project.add("V2__who.sql",
              "CREATE TABLE who (db TEXT DEFAULT '${flyway:database}', "
              "usr TEXT DEFAULT '${flyway:user}');\n");
  project.add("U2__who.sql", "DROP TABLE who;\n");
  Strings url = {"--database", db.url()};
  ProcessResult up = project.run("migrate-upgrade", url);
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.applied_ids() ==
        Strings{"1", "1.1", "1.10", "1.2", "2", "R__a_counts", "R__user_names"});
  CHECK(db.relations() ==
        Strings{"audit", "schema_migrations", "user_count", "user_names", "users", "who"});
  // Built outside a transaction, step by step: valid.
  CHECK(db.column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                  "'users_name'::regclass") == Strings{"true"});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations WHERE id = "
                "'1.2'") == Rows{{"1", "1"}});
  CHECK(db.rows("SELECT name, email FROM users") == Rows{{"hello", "V1_1__add_email.sql"}});
  CHECK(db.rows("INSERT INTO audit DEFAULT VALUES RETURNING by_table, in_schema") ==
        Rows{{"schema_migrations", "public"}});
  CHECK(db.rows("INSERT INTO who DEFAULT VALUES RETURNING db = current_database(), "
                "usr = current_user") == Rows{{"t", "t"}});

  ProcessResult base = project.run("migrate-downgrade", {"--database", db.url(), "base"});
  INFO(base.out << base.err);
  REQUIRE(base.exit_code == 0);
  CHECK(db.applied_ids().empty());
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("flyway: an unknown placeholder stops the run before anything runs",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("V2__b.sql", "CREATE TABLE b (x int);\n\nINSERT INTO b VALUES ('${nope}');\n");
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("error: migrations/V2__b.sql:3: no value for the placeholder "
                              "${nope}, which Flyway refuses "
                              "too: give it one in migrate.conf's [placeholders] section "
                              "(nope = …)"));
  CHECK_FALSE(std::filesystem::exists(project.db()));

  project.add("V2__b.sql", "SELECT '${flyway:nothing}';\n");
  up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("V2__b.sql:1: no value for the placeholder ${flyway:nothing}: it "
                              "is none of Flyway's built-ins migrate gives here ("));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("flyway: a repeatable whose placeholder lost its value says so, and does not run",
          "[e2e][formats][flyway]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[placeholders]\n\twho = alice\n");
  project.add("V1__t.sql", "CREATE TABLE t (x INTEGER);\n");
  project.add("R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT '${who}' AS who;\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  Rows before = sqlite_rows(project.db(), "SELECT * FROM schema_migrations ORDER BY id");
  write_text(project.root() / "migrate.conf", "");
  ProcessResult current = project.run("migrate-current");
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out,
             Contains("repeat    R__v: line 2 cannot run: no value for the placeholder ${who}"));
  CHECK_THAT(current.out, !Contains("changed since applied"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  CHECK_THAT(project.run("migrate-history").out,
             Contains("repeatable, line 2 cannot run: no value for the placeholder ${who}"));
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("R__v.sql:2: no value for the placeholder ${who}"));
  CHECK(sqlite_rows(project.db(), "SELECT * FROM schema_migrations ORDER BY id") == before);
  CHECK(sqlite_rows(project.db(), "SELECT who FROM v") == Rows{{"alice"}});
}

TEST_CASE("flyway: a file mixing statements that cannot run in a transaction is refused",
          "[e2e][formats][flyway][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("V2__b.sql", "CREATE TABLE b (x int);\nCREATE INDEX CONCURRENTLY b_x ON b (x);\n");
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(up.exit_code == 2);
  CHECK_THAT(
      up.err,
      Contains(
          "error: migrations/V2__b.sql:2: 'CREATE INDEX CONCURRENTLY b_x ON b (x)' cannot run in a "
          "transaction, and the file's other statements run in one: Flyway "
          "refuses such a file too"));
  CHECK(db.relations().empty());
}

TEST_CASE("flyway: bad files are refused with their names, nothing run", "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("V01__b.sql", "CREATE TABLE b (x int);\n");
  project.add("B1__base.sql", "CREATE TABLE a (x int);\n");
  project.add("B1.0__again.sql", "CREATE TABLE a (x int);\n");
  project.add("V2_c.sql", "CREATE TABLE c (x int);\n");
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 2);
  CHECK_THAT(up.err, Contains("3 migration files are invalid:"));
  CHECK_THAT(up.err, Contains("Found more than one migration with version 1: "));
  CHECK_THAT(up.err, Contains("Found more than one baseline migration with version 1: "));
  CHECK_THAT(up.err, Contains("V2_c.sql: not a Flyway migration name: '2_c' is not a version"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("flyway: migrate-create writes a V and a U file, numbered after the newest version",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("sub/V1_1__b.sql", "CREATE TABLE b (x int);\n");
  ProcessResult created = project.run("migrate-create", {"add c"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Contains("migrations/V1.2__add_c.sql"));
  CHECK(read_text(project.migrations() / "V1.2__add_c.sql") ==
        "-- add c\n\n-- The SQL that applies the change.\n");
  CHECK(std::filesystem::exists(project.migrations() / "U1.2__add_c.sql"));
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "HEAD"));
  project.add("V1.2__add_c.sql", "CREATE TABLE c (x int);\n");
  project.add("U1.2__add_c.sql", "DROP TABLE c;\n");
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "1.1", "1.2"});
  ProcessResult down = project.run("migrate-downgrade", {"-1"});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "1.1"});
}

TEST_CASE("flyway: a database Flyway migrated is adopted by its dotted versions",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("sub/V1_1__b.sql", "CREATE TABLE b (x int);\n");
  project.add("V1.2__c.sql", "CREATE TABLE c (x int);\n");
  sqlite_exec(project.db(),
              "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, "
              "version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT "
              "NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT "
              "NULL, installed_on TEXT, execution_time INT NOT NULL, success BOOLEAN NOT NULL);"
              "INSERT INTO flyway_schema_history VALUES "
              "(1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'me', NULL, 1, 1),"
              "(2, '1.1', 'b', 'SQL', 'sub/V1_1__b.sql', 2, 'me', NULL, 1, 1);"
              "CREATE TABLE a (x int); CREATE TABLE b (x int);");
  ProcessResult adopt = project.run("migrate-adopt");
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "1.1"});
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "1.1", "1.2"});
  CHECK(schema_objects(project.db()) ==
        Strings{"a", "b", "c", "flyway_schema_history", "schema_migrations"});
}

TEST_CASE("flyway: a repeatable runs again when its text changes, by its file or a placeholder",
          "[e2e][formats][flyway]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[placeholders]\n\twho = alice\n");
  project.add("V1__t.sql", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (7);\n");
  project.add("R__v.sql",
              "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT '${who}' AS who, x FROM t;\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  CHECK(sqlite_rows(project.db(), "SELECT who, x FROM v") == Rows{{"alice", "7"}});
  ProcessResult still = project.run("migrate-upgrade");
  CHECK(still.exit_code == 0);
  CHECK_THAT(still.out, Contains("Nothing to upgrade"));
  Rows row = sqlite_rows(project.db(),
                         "SELECT checksum, applied_at FROM schema_migrations "
                         "WHERE id = 'R__v'");

  // Another value: the text that runs changed, so it is due, as in Flyway.
  write_text(project.root() / "migrate.conf", "[placeholders]\n\twho = bob\n");
  ProcessResult current = project.run("migrate-current");
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("pending   none, but not up to date: 1 repeatable to run"));
  CHECK_THAT(current.out,
             Contains("repeat    R__v: changed since applied; the next upgrade to head runs it"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  CHECK_THAT(project.run("migrate-current", {"--json"}).out,
             Contains("\"repeatables_due\": [\n    {\n      \"id\": \"R__v\""));
  ProcessResult dry = project.run("migrate-upgrade", {"--dry-run"});
  CHECK_THAT(dry.out, Contains("apply  R__v  v"));
  CHECK_THAT(dry.out, Contains("repeatable, changed since applied"));
  CHECK(sqlite_rows(project.db(),
                    "SELECT checksum, applied_at FROM schema_migrations "
                    "WHERE id = 'R__v'") == row);      // --dry-run changed nothing
  ProcessResult graph = project.run("migrate-graph");  // DOT: drawn as due, apart from the graph
  CHECK(graph.exit_code == 0);
  CHECK_THAT(graph.out, Contains("subgraph cluster_repeatables"));
  CHECK_THAT(graph.out, Contains("R__v: v (pending, repeatable)"));
  ProcessResult again = project.run("migrate-upgrade");
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("1 step"));
  CHECK(sqlite_rows(project.db(), "SELECT who, x FROM v") == Rows{{"bob", "7"}});
  CHECK(applied_ids(project.db()) == Strings{"1", "R__v"});

  // An edit of the file: the script shows its old row going and the new one coming.
  project.add("R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT x * 2 AS x FROM t;\n");
  ProcessResult script = project.run("migrate-upgrade", {"--sql"});
  CHECK_THAT(script.out, Contains("DELETE FROM \"schema_migrations\" WHERE id = 'R__v';\n"
                                  "INSERT INTO \"schema_migrations\""));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  CHECK(sqlite_rows(project.db(), "SELECT x FROM v") == Rows{{"14"}});

  // One that fails is rolled back: its old row stays, and it is still due.
  Rows before = sqlite_rows(project.db(),
                            "SELECT checksum FROM schema_migrations WHERE id = "
                            "'R__v'");
  project.add("R__v.sql", "DROP VIEW IF EXISTS v;\nINSERT INTO t VALUES (1, 2);\n");
  ProcessResult failed = project.run("migrate-upgrade");
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Contains("R__v"));
  CHECK(sqlite_rows(project.db(), "SELECT checksum FROM schema_migrations WHERE id = 'R__v'") ==
        before);
  CHECK(sqlite_rows(project.db(), "SELECT x FROM v") == Rows{{"14"}});

  // Its file gone: nothing runs, its row stays and is named.
  std::filesystem::remove(project.migrations() / "R__v.sql");
  ProcessResult gone = project.run("migrate-current");
  CHECK(gone.exit_code == 0);
  CHECK_THAT(gone.out, Contains("pending   none: up to date"));
  CHECK_THAT(gone.out, Contains("removed   R__v \"v\" applied "));
  CHECK(project.run("migrate-upgrade").exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"1", "R__v"});
}

TEST_CASE("flyway: a downgrade forgets the repeatables, and the next upgrade runs them again",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__t.sql", "CREATE TABLE t (x INTEGER);\n");
  project.add("U1__t.sql", "DROP VIEW IF EXISTS v;\nDROP TABLE t;\n");
  project.add("V2__u.sql", "CREATE TABLE u (x INTEGER);\n");
  project.add("U2__u.sql", "DROP TABLE u;\n");
  project.add("R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT x FROM t;\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult dry = project.run("migrate-downgrade", {"base", "--dry-run"});
  CHECK_THAT(dry.out, Contains("1. forget R__v"));
  CHECK_THAT(dry.out, Contains("repeatable: nothing runs, its row goes"));
  ProcessResult down = project.run("migrate-downgrade", {"base"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Contains("  forget R__v"));
  CHECK_THAT(down.out, Contains(": 2 reverted, 1 repeatable forgotten (the next upgrade to head "
                                "runs it again)."));
  CHECK(applied_ids(project.db()).empty());
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations"});
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(schema_objects(project.db()) == Strings{"schema_migrations", "t", "u", "v"});
  CHECK(applied_ids(project.db()) == Strings{"1", "2", "R__v"});
}

TEST_CASE("flyway: kill -9 while repeatables run again leaves each old or new, never lost",
          "[e2e][formats][flyway][interrupt]") {
  constexpr int kCount = 30;
  static const std::string kRepeatableRows =
      "SELECT id, checksum FROM schema_migrations WHERE id LIKE 'R%' ORDER BY id";
  auto setup = [](const Project& project) {
    project.add("V1__t.sql", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1);\n");
    for (int i = 0; i < kCount; ++i) {
      project.add(fmt::format("R__v{:02}.sql", i),
                  fmt::format("DROP VIEW IF EXISTS v{0:02};\nCREATE VIEW v{0:02} AS SELECT x, 1 "
                              "AS version FROM t;\n",
                              i));
    }
    REQUIRE(project.run("migrate-upgrade").exit_code == 0);
    Rows original = sqlite_rows(project.db(), kRepeatableRows);
    for (int i = 0; i < kCount; ++i) {  // each edited: every one due again
      project.add(fmt::format("R__v{:02}.sql", i),
                  fmt::format("DROP VIEW IF EXISTS v{0:02};\nCREATE VIEW v{0:02} AS SELECT x, 2 "
                              "AS version FROM t;\n{1}",
                              i, kSqliteSlowStatement));
    }
    return original;
  };
  Project calibration;
  setup(calibration);
  interrupt_until(
      SIGKILL, {.landed = 2, .cap = 60}, [&] { return calibration.run("migrate-upgrade"); },
      [&](int, std::chrono::microseconds delay) {
        Project project;
        Rows original = setup(project);
        RunningProcess running = project.start("migrate-upgrade");
        std::this_thread::sleep_for(delay);
        running.kill(SIGKILL);
        ProcessResult killed = running.wait();
        InterruptedRun run{killed, has_hot_journal(project.db())};
        ProcessResult current = project.run("migrate-current");  // first: no help from a probe
        INFO(current.err);
        CHECK(current.exit_code == 0);
        // Each view and its row agree: the new view with a new row, or both as they were.
        Rows rows = sqlite_rows(project.db(), kRepeatableRows);
        REQUIRE(rows.size() == kCount);
        for (int i = 0; i < kCount; ++i) {
          Rows version = sqlite_rows(project.db(), fmt::format("SELECT version FROM v{:02}", i));
          bool ran_again = rows[i][1] != original[i][1];
          INFO(rows[i][0]);
          CHECK(version == Rows{{ran_again ? "2" : "1"}});
        }
        ProcessResult again = project.run("migrate-upgrade");
        INFO(again.out << again.err);
        CHECK(again.exit_code == 0);
        CHECK(project.run("migrate-current", {"--check"}).exit_code == 0);
        for (int i = 0; i < kCount; ++i) {
          CHECK(sqlite_rows(project.db(), fmt::format("SELECT version FROM v{:02}", i)) ==
                Rows{{"2"}});
        }
        CHECK(applied_ids(project.db()).size() == kCount + 1);
        return run;
      });
}

namespace {

/// A Flyway folder with a baseline: V1..V3 build a, b and a.y; B3 builds the same at once.
void add_baseline_folder(const Project& project) {
  project.add("V1__a.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("U1__a.sql", "DROP TABLE a;\n");
  project.add("V2__b.sql", "CREATE TABLE b (x INTEGER);\n");
  project.add("U2__b.sql", "DROP TABLE b;\n");
  project.add("V3__c.sql", "ALTER TABLE a ADD COLUMN y INTEGER;\n");
  project.add("U3__c.sql", "ALTER TABLE a DROP COLUMN y;\n");
  project.add("B3__base.sql",
              "CREATE TABLE a (x INTEGER, y INTEGER);\nCREATE TABLE b (x INTEGER);\n");
}

}  // namespace

TEST_CASE("flyway: a new database starts from the newest baseline, an older one ignores it",
          "[e2e][formats][flyway]") {
  // A database that ran V1 and V2 before the baseline existed.
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("V2__b.sql", "CREATE TABLE b (x INTEGER);\n");
  std::filesystem::path older = project.root() / "older.db";
  Strings older_db = {"--database", "sqlite:older.db"};
  REQUIRE(project.run("migrate-upgrade", older_db).exit_code == 0);
  add_baseline_folder(project);
  project.add("B1__first.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("V4__d.sql", "CREATE TABLE d (x INTEGER);\n");
  project.add("U4__d.sql", "DROP TABLE d;\n");

  // New: B3, then what comes after it; V1..V3 and the older baseline are replaced.
  ProcessResult dry = project.run("migrate-upgrade", {"--dry-run"});
  CHECK_THAT(dry.out, Contains("1. apply  B3__base  base"));
  CHECK_THAT(dry.out, Contains("2. apply  V4__d     d"));
  CHECK_THAT(dry.err, Contains("note: migrations/: older baseline migrations, not run: "
                               "B1__first.sql (a new database starts from the newest baseline"));
  ProcessResult fresh = project.run("migrate-upgrade");
  INFO(fresh.out << fresh.err);
  REQUIRE(fresh.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"4", "B3"});
  CHECK(schema_objects(project.db()) == Strings{"a", "b", "d", "schema_migrations"});
  ProcessResult history = project.run("migrate-history");
  CHECK_THAT(history.out, Contains("replaced  V3__c"));
  CHECK_THAT(history.out, Contains("replaced  B1__first"));
  CHECK_THAT(project.run("migrate-current").out, Contains("current   V4__d (head)"));

  // Older: the rest runs (Flyway ignores a baseline there), and the baseline is not recorded.
  ProcessResult plan =
      project.run("migrate-upgrade", {"--database", "sqlite:older.db", "--dry-run"});
  CHECK_THAT(plan.out, Contains("1. apply  V3__c"));
  CHECK_THAT(plan.out, Contains("pending (B3__base, a baseline, is not run where part of what it "
                                "replaces ran, as in Flyway)"));
  CHECK_THAT(plan.out, Contains("2. apply  V4__d"));
  CHECK_THAT(plan.err, !Contains("out of order"));
  ProcessResult rest = project.run("migrate-upgrade", older_db);
  INFO(rest.out << rest.err);
  REQUIRE(rest.exit_code == 0);
  CHECK(applied_ids(older) == Strings{"1", "2", "3", "4"});
  CHECK(sqlite_column(older, "SELECT name FROM pragma_table_info('a') ORDER BY cid") ==
        Strings{"x", "y"});
  ProcessResult current = project.run("migrate-current", older_db);
  CHECK_THAT(current.out, Contains("current   V4__d (head)"));
  CHECK_THAT(current.out, Contains("pending   none: up to date"));
  // Its own U files take it back, through the versions the baseline replaces.
  ProcessResult down = project.run("migrate-downgrade", {"--database", "sqlite:older.db", "1"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(applied_ids(older) == Strings{"1"});
}

TEST_CASE("flyway: a downgrade below a baseline is refused: it has no undo",
          "[e2e][formats][flyway]") {
  Project project;
  add_baseline_folder(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"B3"});
  std::string before = read_text(project.db());
  ProcessResult down = project.run("migrate-downgrade", {"base"});
  CHECK(down.exit_code == 2);
  CHECK_THAT(down.err, Contains("migrations/B3__base.sql has no down section"));
  CHECK(read_text(project.db()) == before);
  ProcessResult fake = project.run("migrate-downgrade", {"base", "--fake"});
  INFO(fake.out << fake.err);
  CHECK(fake.exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
}

TEST_CASE("flyway: a baseline on PostgreSQL", "[e2e][formats][flyway][postgres]") {
  PostgresDatabase db;
  Project project;
  add_baseline_folder(project);
  project.add("V4__d.sql", "CREATE TABLE d (x INTEGER REFERENCES b (x));\n");
  project.add("B3__base.sql",
              "CREATE TABLE a (x INTEGER, y INTEGER);\nCREATE TABLE b (x INTEGER PRIMARY KEY);\n");
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"4", "B3"});
  CHECK(db.relations() == Strings{"a", "b", "d", "schema_migrations"});
}

TEST_CASE("flyway: a subfolder migrate may not read is an error there, and skipped elsewhere",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("sub/V2__b.sql", "CREATE TABLE b (x INTEGER);\n");
  std::filesystem::path sub = project.migrations() / "sub";
  ::chmod(sub.c_str(), 0);
  // Root ignores permissions: run as an unprivileged user, from a copy inside the project.
  std::filesystem::path tool = copy_tool("migrate-upgrade", project.root());
  ProcessResult flyway = run_process({tool.string(), "--dry-run"},
                                     {.cwd = project.root(), .as_unprivileged_user = true});
  CHECK(flyway.exit_code == 2);
  CHECK_THAT(flyway.err, Contains("cannot read migrations/sub, a subfolder of the migrations "
                                  "folder, where Flyway looks for migrations too"));
  // A folder in migrate's own format does not read subfolders: the rest is all read.
  std::filesystem::remove(project.migrations() / "V1__a.sql");
  project.add("0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INTEGER);\n");
  project.add("0002_b.sql", "-- migrate:up\nCREATE TABLE b (x INTEGER);\n");
  ProcessResult ours = run_process({tool.string(), "--dry-run"},
                                   {.cwd = project.root(), .as_unprivileged_user = true});
  INFO(ours.err);
  CHECK(ours.exit_code == 0);
  CHECK_THAT(ours.out, Contains("2. apply  0002_b"));
  ::chmod(sub.c_str(), 0755);
}

TEST_CASE("flyway: baselines are ignored wherever anything ran, nested and numbered as numbers",
          "[e2e][formats][flyway]") {
  auto tables = [](int from, int to) {
    std::string sql;
    for (int i = from; i <= to; ++i) {
      sql += fmt::format("CREATE TABLE t{} (x INTEGER);\n", i);
    }
    return sql;
  };
  Project project;
  for (int i = 1; i <= 11; ++i) {
    project.add(fmt::format("V{}__t{}.sql", i, i), tables(i, i));
  }
  project.add("B2__base.sql", tables(1, 2));
  project.add("B9__base.sql", tables(1, 9));
  project.add("B10__base.sql", tables(1, 10));
  // A database that ran V1 only: every version after it runs, in order, none skipped.
  Strings some = {"--database", "sqlite:some.db"};
  REQUIRE(project.run("migrate-upgrade", {"--database", "sqlite:some.db", "1"}).exit_code == 0);
  ProcessResult rest = project.run("migrate-upgrade", some);
  INFO(rest.out << rest.err);
  REQUIRE(rest.exit_code == 0);
  CHECK(sqlite_column(project.root() / "some.db",
                      "SELECT id FROM schema_migrations ORDER BY rowid") ==
        Strings{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"});
  CHECK_THAT(project.run("migrate-current", some).out, Contains("pending   none: up to date"));
  // A new one: the newest baseline (B10 after B9, as numbers), then V11.
  ProcessResult fresh = project.run("migrate-upgrade", {"--dry-run"});
  CHECK_THAT(fresh.out, Contains("1. apply  B10__base"));
  CHECK_THAT(fresh.out, Contains("2. apply  V11__t11"));
  CHECK_THAT(fresh.out, !Contains("3. apply"));

  // The old files deleted, as Flyway's guide suggests once a baseline replaces them: a
  // database that ran them keeps them as orphans, and the baseline does not run there.
  for (int i = 1; i <= 10; ++i) {
    std::filesystem::remove(project.migrations() / fmt::format("V{}__t{}.sql", i, i));
  }
  project.add("V12__t12.sql", tables(12, 12));
  ProcessResult after = project.run("migrate-upgrade", some);
  INFO(after.out << after.err);
  REQUIRE(after.exit_code == 0);
  CHECK_THAT(after.out, Contains("apply  V12__t12"));
  CHECK_THAT(after.out, !Contains("B10__base"));
}

TEST_CASE("flyway: migrate-create numbers after the newest version, baselines and repeatables too",
          "[e2e][formats][flyway]") {
  Project project;
  project.add("V1__a.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("V3__c.sql", "CREATE TABLE c (x INTEGER);\n");
  project.add("B2__base.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("B5__base.sql", "CREATE TABLE a (x INTEGER);\nCREATE TABLE c (x INTEGER);\n");
  project.add("R__views.sql", "SELECT 1;\n");
  ProcessResult created = project.run("migrate-create", {"add d"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Contains("migrations/V6__add_d.sql"));
}
