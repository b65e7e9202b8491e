// An upgrade that finds the lock taken says so, on stderr, while it waits: on PostgreSQL at once,
// naming who holds the migration lock (another session holds it here, through migrate's own
// driver, so it is the same key); on SQLite once the write lock has been busy for a moment.
// Once the lock is free, it runs.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "db/database_url.hpp"
#include "db/postgres/postgres_connection.hpp"
#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Catch::EndsWith;
using Strings = std::vector<std::string>;

TEST_CASE("lock wait: an upgrade says at once that it waits for the lock, and who holds it",
          "[e2e][postgres][lock-wait]") {
  for (const char* mode : {"session", "transaction"}) {
    INFO("--lock-mode " << mode);
    PostgresDatabase db;
    Project project;
    project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
    PostgresConnection holder(parse_database_url(db.url(), "/"), {});
    holder.lock_migrations("schema_migrations");
    std::string holder_pid = holder.query("SELECT pg_backend_pid()").at(0).at(0).value_or("");

    LoggedRun upgrade =
        start_logged(project, "migrate-upgrade",
                     {"--database", db.url(), "--lock-mode", mode, "--lock-timeout", "2m"});
    bool told = wait_for_text(upgrade.err, "waiting for the migration lock");
    std::string said = read_text(upgrade.err);
    INFO(said);
    CHECK(told);
    CHECK_THAT(said, Contains("migrate-upgrade: note: waiting for the migration lock on " +
                              db.url() + ", held by backend pid " + holder_pid + " (migrate, "));
    CHECK_THAT(said, Contains(": up to 120 s (--lock-timeout)"));
    // Nothing ran meanwhile: it waits before the state table is even made.
    CHECK(db.relations().empty());

    holder.unlock_migrations();
    ProcessResult result = upgrade.process.wait();
    INFO(read_text(upgrade.err));
    CHECK(result.exit_code == 0);
    CHECK(db.applied_ids() == Strings{"0001"});
    // Told once.
    std::string all = read_text(upgrade.err);
    CHECK(all.find("waiting for") == all.rfind("waiting for"));
  }
}

TEST_CASE("lock wait: in transaction lock mode, a wait in the middle of the run is told at once",
          "[e2e][postgres][lock-wait]") {
  PostgresDatabase db;
  Project project;
  // The first migration waits for a lock of the test's (4242) while its transaction holds the
  // migration lock: meanwhile another session queues for the migration lock, and gets it when
  // that transaction ends, before the second migration's begin() asks for it.
  project.add("0001_a.sql",
              migration_text("SELECT pg_advisory_xact_lock(4242);\nCREATE TABLE a (x int);",
                             "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  PostgresConnection gate(parse_database_url(db.url(), "/"), {});
  gate.execute("SELECT pg_advisory_lock(4242)");
  PostgresConnection holder(parse_database_url(db.url(), "/"), {});
  std::string holder_pid = holder.query("SELECT pg_backend_pid()").at(0).at(0).value_or("");
  auto waiting = [&db](const std::string& condition) {
    return eventually([&] {
      return db.column(
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock' AND " +
                 condition) == Strings{"1"};
    });
  };

  LoggedRun upgrade =
      start_logged(project, "migrate-upgrade",
                   {"--database", db.url(), "--lock-mode", "transaction", "--lock-timeout", "2m"});
  REQUIRE(waiting("query LIKE 'SELECT pg_advisory_xact_lock(4242)%'"));
  std::thread queue([&] { holder.lock_migrations("schema_migrations"); });
  REQUIRE(waiting("pid = " + holder_pid));
  gate.execute("SELECT pg_advisory_unlock(4242)");
  queue.join();  // the holder has the migration lock; the upgrade's second step waits for it

  bool told = wait_for_text(upgrade.err, "waiting for the migration lock");
  std::string said = read_text(upgrade.err);
  INFO(said);
  CHECK(told);
  CHECK_THAT(said, Contains("held by backend pid " + holder_pid));
  // Shown while it waits: the second migration has not run, and its progress line has ended.
  CHECK(db.applied_ids() == Strings{"0001"});
  CHECK_THAT(read_text(upgrade.out), EndsWith("0002_b  b \n"));

  holder.unlock_migrations();
  ProcessResult result = upgrade.process.wait();
  INFO(read_text(upgrade.out) << read_text(upgrade.err));
  CHECK(result.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001", "0002"});
  // The step's result follows on a line of its own.
  CHECK_THAT(read_text(upgrade.out), Contains("0002_b  b \n    ok ("));
}

TEST_CASE("lock wait: a free lock is taken without a word", "[e2e][postgres][lock-wait]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
}

TEST_CASE("lock wait: a SQLite upgrade says that it waits for the write lock", "[e2e][lock-wait]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x);", "DROP TABLE b;"));
  // Another process's write transaction, through the C API.
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(project.db().c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);

  LoggedRun upgrade = start_logged(project, "migrate-upgrade", {"--lock-timeout", "2m"});
  bool told = wait_for_text(upgrade.err, "waiting for the write lock");
  std::string said = read_text(upgrade.err);
  INFO(said);
  CHECK(told);
  CHECK(said ==
        "migrate-upgrade: note: waiting for the write lock on sqlite:migrate.db, held by another "
        "process: up to 120 s (--lock-timeout)\n");

  // Nothing ran meanwhile.
  CHECK(applied_ids(project.db()) == Strings{"0001"});
  REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);
  ProcessResult result = upgrade.process.wait();
  INFO(read_text(upgrade.err));
  CHECK(result.exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
  CHECK(read_text(upgrade.err) == said);  // told once
}
