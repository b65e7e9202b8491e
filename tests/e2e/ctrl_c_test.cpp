// Ctrl-C (SIGINT) and SIGTERM while an upgrade or downgrade runs a migration: the statement in
// flight is cancelled (nothing of it keeps running on the server), the step is rolled back (or,
// transaction:false, keeps the statements it recorded), the tool says so in one message and
// exits 1, and the next command runs at once: no lock is left held, no journal left hot.
#include <catch2/catch.hpp>

#include <signal.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/postgres/postgres_connection.hpp"
#include "support/hot_journal.hpp"
#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Catch::EndsWith;
using Catch::StartsWith;
using Strings = std::vector<std::string>;

namespace {

struct Signal {
  int number;
  const char* name;  ///< as the message says it
};
const Signal kSignals[] = {{SIGINT, "Ctrl-C"}, {SIGTERM, "SIGTERM"}};

/// PostgreSQL: sleeps as long as the table `pause` says (10 minutes, until the test lowers it).
constexpr const char* kPostgresPause = "SELECT pg_sleep(seconds) FROM pause;";
/// SQLite: counts as far as the table `loops` says (for ever, until the test lowers it).
constexpr const char* kSqliteLoops =
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < (SELECT n FROM loops)) SELECT count(*) FROM c;";

/// How many statements of this test's database run `sql_start` now.
std::string running(const PostgresDatabase& db, const std::string& sql_start) {
  return db
      .column(fmt::format("SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND state = "
                          "'active' AND query LIKE '{}%'",
                          db.name(), sql_start))
      .at(0);
}

/// The last line of a file.
std::string last_line(const std::filesystem::path& file) {
  std::string text = read_text(file);
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text.substr(text.rfind('\n') + 1);
}

}  // namespace

TEST_CASE(
    "Ctrl-C: a PostgreSQL upgrade cancels its statement, rolls the step back and frees "
    "the lock",
    "[e2e][postgres][ctrl-c]") {
  for (const Signal& signal : kSignals) {
    INFO(signal.name);
    PostgresDatabase db;
    db.exec("CREATE TABLE pause (seconds float); INSERT INTO pause VALUES (600)");
    Project project;
    project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
    project.add(
        "0002_slow.sql",
        migration_text(std::string("CREATE TABLE b (x int);\n") + kPostgresPause, "DROP TABLE b;"));
    project.add("0003_c.sql", migration_text("CREATE TABLE c (x int);", "DROP TABLE c;"));
    LoggedRun upgrade = start_logged(project, "migrate-upgrade", {"--database", db.url()});
    REQUIRE(eventually([&] { return running(db, "SELECT pg_sleep") == "1"; }));

    upgrade.process.kill(signal.number);
    ProcessResult stopped = upgrade.process.wait();
    std::string err = read_text(upgrade.err);
    INFO(read_text(upgrade.out) << err);
    CHECK(stopped.exit_code == 1);
    CHECK(err == fmt::format("migrate-upgrade: error: interrupted ({}) at statement 2 of 2 in the "
                             "up section of 0002_slow. It was rolled back: nothing of it is "
                             "applied, and the 1 step before it in this run stays done.\n",
                             signal.name));
    CHECK_THAT(last_line(upgrade.out), Contains("0002_slow") && EndsWith(" interrupted"));
    // Nothing of it runs on: the server's session sleeps no more.
    CHECK(running(db, "SELECT pg_sleep") == "0");
    CHECK(db.applied_ids() == Strings{"0001"});
    CHECK(db.relations() == Strings{"a", "pause", "schema_migrations"});

    // At once, the next upgrade takes the lock without waiting, and finishes.
    db.exec("UPDATE pause SET seconds = 0");
    ProcessResult again =
        project.run("migrate-upgrade", {"--database", db.url(), "--lock-timeout", "10s"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.err, !Contains("waiting"));
    CHECK(db.applied_ids() == Strings{"0001", "0002", "0003"});
  }
}

TEST_CASE(
    "Ctrl-C: a PostgreSQL transaction:false section keeps what it recorded, the rerun "
    "resumes at the cancelled statement",
    "[e2e][postgres][ctrl-c]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE pause (seconds float); INSERT INTO pause VALUES (600)");
  Project project;
  project.add("0001_steps.sql", "-- migrate:up transaction:false\nCREATE TABLE a (x int);\n" +
                                    std::string(kPostgresPause) + "\nCREATE TABLE c (x int);\n");
  LoggedRun upgrade = start_logged(project, "migrate-upgrade", {"--database", db.url()});
  REQUIRE(eventually([&] { return running(db, "SELECT pg_sleep") == "1"; }));
  upgrade.process.kill(SIGINT);
  ProcessResult stopped = upgrade.process.wait();
  std::string err = read_text(upgrade.err);
  INFO(err);
  CHECK(stopped.exit_code == 1);
  CHECK(err ==
        "migrate-upgrade: error: interrupted (Ctrl-C) at statement 2 of 3 in the up section of "
        "0001_steps. Statements 1-1 of 3 were applied and are recorded: the section is partly "
        "applied. Run it again: it resumes at statement 2.\n");
  CHECK(running(db, "SELECT pg_sleep") == "0");
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"1", "3"}});

  db.exec("UPDATE pause SET seconds = 0");
  ProcessResult again = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"3", "3"}});
  CHECK(db.relations() == Strings{"a", "c", "pause", "schema_migrations"});
}

TEST_CASE("Ctrl-C: a cancelled CREATE INDEX CONCURRENTLY names the invalid index it left",
          "[e2e][postgres][ctrl-c]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (x int)");
  Project project;
  project.add("0001_index.sql",
              "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n"
              "-- migrate:down\nDROP INDEX t_x;\n");
  // An open transaction that wrote to t: the build waits for it to end, its index already in
  // the catalog, not yet valid.
  PostgresConnection writer(parse_database_url(db.url(), "/"), {});
  writer.begin();
  writer.execute("INSERT INTO t VALUES (1)");
  LoggedRun upgrade = start_logged(project, "migrate-upgrade", {"--database", db.url()});
  REQUIRE(eventually([&] { return running(db, "CREATE INDEX CONCURRENTLY") == "1"; }));
  upgrade.process.kill(SIGINT);
  ProcessResult stopped = upgrade.process.wait();
  writer.rollback();
  std::string err = read_text(upgrade.err);
  INFO(err);
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(err, Contains("interrupted (Ctrl-C) at statement 1 of 1"));
  CHECK_THAT(err, Contains("migrate: the index public.t_x exists but is invalid"));
  CHECK_THAT(err, Contains("DROP INDEX CONCURRENTLY public.t_x;"));
  CHECK(db.column("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass") ==
        Strings{"f"});
}

TEST_CASE("Ctrl-C: a SQLite upgrade rolls the step back, every command works after",
          "[e2e][ctrl-c]") {
  for (const Signal& signal : kSignals) {
    INFO(signal.name);
    Project project;
    project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
    project.add("0002_slow.sql",
                migration_text(
                    std::string("CREATE TABLE b (x);\nINSERT INTO b VALUES (1);\n") + kSqliteLoops,
                    "DROP TABLE b;"));
    sqlite_exec(project.db(), "CREATE TABLE loops (n); INSERT INTO loops VALUES (1e15)");
    LoggedRun upgrade = start_logged(project, "migrate-upgrade", {});
    REQUIRE(wait_for_text(upgrade.out, "0002_slow"));  // its step runs

    upgrade.process.kill(signal.number);
    ProcessResult stopped = upgrade.process.wait();
    std::string err = read_text(upgrade.err);
    INFO(read_text(upgrade.out) << err);
    CHECK(stopped.exit_code == 1);
    CHECK_THAT(err,
               StartsWith(fmt::format("migrate-upgrade: error: interrupted ({}) ", signal.name)));
    CHECK_THAT(err, Contains("0002_slow. It was rolled back: nothing of it is applied, and the 1 "
                             "step before it in this run stays done.\n"));
    CHECK_THAT(last_line(upgrade.out), Contains("0002_slow") && EndsWith(" interrupted"));
    CHECK_FALSE(has_hot_journal(project.db()));
    CHECK(applied_ids(project.db()) == Strings{"0001"});
    CHECK(schema_objects(project.db()) == Strings{"a", "loops", "schema_migrations"});

    for (const Strings& command : {Strings{"migrate-current"}, Strings{"migrate-history"},
                                   Strings{"migrate-upgrade", "--dry-run"}}) {
      ProcessResult result = project.run(command[0], Strings(command.begin() + 1, command.end()));
      INFO(command[0] << ": " << result.err);
      CHECK(result.exit_code == 0);
    }
    sqlite_exec(project.db(), "UPDATE loops SET n = 10");
    CHECK(project.run("migrate-upgrade").exit_code == 0);
    CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  }
}

TEST_CASE("Ctrl-C: a SQLite downgrade rolls its step back, the migration stays applied",
          "[e2e][ctrl-c]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  project.add("0002_slow.sql",
              migration_text("CREATE TABLE b (x);", std::string("DROP TABLE b;\n") + kSqliteLoops));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  sqlite_exec(project.db(), "CREATE TABLE loops (n); INSERT INTO loops VALUES (1e15)");
  LoggedRun downgrade = start_logged(project, "migrate-downgrade", {"base"});
  REQUIRE(wait_for_text(downgrade.out, "0002_slow"));
  downgrade.process.kill(SIGINT);
  ProcessResult stopped = downgrade.process.wait();
  std::string err = read_text(downgrade.err);
  INFO(err);
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(err, StartsWith("migrate-downgrade: error: interrupted (Ctrl-C) "));
  CHECK_THAT(err, EndsWith("0002_slow. It was rolled back: the database is as it was before "
                           "this run.\n"));
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  CHECK(schema_objects(project.db()) == Strings{"a", "b", "loops", "schema_migrations"});
  sqlite_exec(project.db(), "UPDATE loops SET n = 10");
  CHECK(project.run("migrate-downgrade", {"base"}).exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
}
