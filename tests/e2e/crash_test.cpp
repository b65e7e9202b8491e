// Crash safety: migrate-upgrade killed with SIGKILL at random moments, again
// and again, until enough kills landed while it ran. After every kill the state
// table matches the schema exactly (no half-applied migration, no row without
// its change), and a rerun finishes the job. On both backends.
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "support/interrupted_runs.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;

namespace {

constexpr int kMigrations = 6;
/// Kills that must land while migrate runs (most of them, on any machine); at most kCap tried.
constexpr int kLanded = 20;
constexpr int kCap = 200;

}  // namespace

TEST_CASE("crash safety: SQLite, killed at random moments", "[e2e][crash]") {
  Project calibration;
  add_slow_migrations(calibration, kMigrations, kSqliteSlowStatement);
  auto uninterrupted = [&] { return calibration.run("migrate-upgrade"); };
  interrupt_until(
      SIGKILL, {.landed = kLanded, .cap = kCap}, uninterrupted,
      [&](int kill, std::chrono::microseconds delay) {
        Project project;
        // About 20-40 ms of work inside each migration's transaction.
        add_slow_migrations(project, kMigrations, kSqliteSlowStatement);
        RunningProcess upgrade = project.start("migrate-upgrade");
        std::this_thread::sleep_for(delay);
        upgrade.kill(SIGKILL);
        ProcessResult killed = upgrade.wait();
        INFO("kill " << kill << ", exit " << killed.exit_code);
        if (std::filesystem::exists(project.db())) {  // a kill before the first write leaves none
          std::vector<std::string> tables = schema_objects(project.db());
          std::vector<std::string> applied;
          if (std::find(tables.begin(), tables.end(), "schema_migrations") != tables.end()) {
            applied = applied_ids(project.db());
          }
          check_consistent(kMigrations, applied, tables, [&](int i) {
            return sqlite_column(project.db(), fmt::format("SELECT x FROM t{}", i));
          });
        }
        ProcessResult rerun = project.run("migrate-upgrade");
        INFO(rerun.err);
        REQUIRE(rerun.exit_code == 0);
        CHECK(applied_ids(project.db()).size() == kMigrations);
        return InterruptedRun{killed};
      });
}

TEST_CASE("crash safety: PostgreSQL, killed at random moments", "[e2e][crash][postgres]") {
  PostgresDatabase calibration_db;
  Project calibration;
  add_slow_migrations(calibration, kMigrations, kPostgresSlowStatement);
  auto uninterrupted = [&] {
    return calibration.run("migrate-upgrade", {"--database", calibration_db.url()});
  };
  interrupt_until(
      SIGKILL, {.landed = kLanded, .cap = kCap}, uninterrupted,
      [&](int kill, std::chrono::microseconds delay) {
        PostgresDatabase db;
        Project project;
        add_slow_migrations(project, kMigrations, kPostgresSlowStatement);
        RunningProcess upgrade = project.start("migrate-upgrade", {"--database", db.url()});
        std::this_thread::sleep_for(delay);
        upgrade.kill(SIGKILL);
        ProcessResult killed = upgrade.wait();
        INFO("kill " << kill << ", exit " << killed.exit_code);
        std::vector<std::string> tables = db.relations();
        std::vector<std::string> applied;
        if (std::find(tables.begin(), tables.end(), "schema_migrations") != tables.end()) {
          applied = db.applied_ids();
        }
        check_consistent(kMigrations, applied, tables,
                         [&](int i) { return db.column(fmt::format("SELECT x FROM t{}", i)); });
        // The killed client's server session may still hold the migration lock
        // until the server notices it is gone; the rerun waits for it.
        ProcessResult rerun = project.run("migrate-upgrade", {"--database", db.url()});
        INFO(rerun.err);
        REQUIRE(rerun.exit_code == 0);
        CHECK(db.applied_ids().size() == kMigrations);
        return InterruptedRun{killed};
      });
}
