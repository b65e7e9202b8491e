// Crash safety: migrate-upgrade killed with SIGKILL at random moments, again
// and again. After every kill the state table matches the schema exactly (no
// half-applied migration, no row without its change), and a rerun finishes the
// job. On both backends.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <functional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;

namespace {

constexpr int kMigrations = 6;
constexpr int kKills = 30;

/// Each migration creates its table, spends a while (so kills land inside
/// migrations), then fills the table: a half-applied one would show as a table
/// without its row.
void add_slow_migrations(const Project& project, const std::string& slow_statement) {
  for (int i = 1; i <= kMigrations; ++i) {
    project.add(fmt::format("{:04}_step.sql", i),
                migration_text(fmt::format("CREATE TABLE t{0} (x integer);\n{1}\n"
                                           "INSERT INTO t{0} VALUES ({0});",
                                           i, slow_statement),
                               fmt::format("DROP TABLE t{};", i)));
  }
}

/// The schema and the state table agree: t<i> exists, with its row, exactly
/// when <i> is applied.
void check_consistent(const std::vector<std::string>& applied,
                      const std::vector<std::string>& tables,
                      const std::function<std::vector<std::string>(int)>& rows_of) {
  for (int i = 1; i <= kMigrations; ++i) {
    std::string id = fmt::format("{:04}", i);
    std::string table = fmt::format("t{}", i);
    bool recorded = std::find(applied.begin(), applied.end(), id) != applied.end();
    bool created = std::find(tables.begin(), tables.end(), table) != tables.end();
    INFO("migration " << id);
    CHECK(recorded == created);
    if (created) {
      CHECK(rows_of(i) == std::vector<std::string>{std::to_string(i)});
    }
  }
}

/// How long one uninterrupted upgrade takes here, now. Kills are drawn from
/// within this window rather than from a fixed range, so that on a fast or a
/// loaded machine alike most of them land while migrate is still running.
std::chrono::milliseconds time_one_run(const std::function<ProcessResult()>& run) {
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = run();
  auto elapsed = std::chrono::steady_clock::now() - start;
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
}

/// A moment within the first 90% of a run that takes `run_time`.
std::chrono::milliseconds random_delay(std::mt19937& random, std::chrono::milliseconds run_time) {
  int max_ms = static_cast<int>(run_time.count() * 9 / 10);
  return std::chrono::milliseconds(std::uniform_int_distribution<int>(0, max_ms)(random));
}

const char* const kSqliteSlowStatement =
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 150000) SELECT count(*) FROM c;";
const char* const kPostgresSlowStatement = "SELECT pg_sleep(0.03);";

}  // namespace

TEST_CASE("crash safety: SQLite, killed at random moments 30 times", "[e2e][crash]") {
  std::random_device seed;
  std::mt19937 random(seed());
  Project calibration;
  add_slow_migrations(calibration, kSqliteSlowStatement);
  std::chrono::milliseconds run_time =
      time_one_run([&] { return calibration.run("migrate-upgrade"); });
  int interrupted = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    Project project;
    // About 20-40 ms of work inside each migration's transaction.
    add_slow_migrations(project, kSqliteSlowStatement);
    RunningProcess upgrade = project.start("migrate-upgrade");
    std::this_thread::sleep_for(random_delay(random, run_time));
    upgrade.kill(SIGKILL);
    ProcessResult killed = upgrade.wait();
    interrupted += killed.exit_code == 128 + SIGKILL ? 1 : 0;
    INFO("kill " << kill << ", exit " << killed.exit_code);
    if (std::filesystem::exists(project.db())) {  // a kill before the first write leaves none
      std::vector<std::string> tables = schema_objects(project.db());
      std::vector<std::string> applied;
      if (std::find(tables.begin(), tables.end(), "schema_migrations") != tables.end()) {
        applied = applied_ids(project.db());
      }
      check_consistent(applied, tables, [&](int i) {
        return sqlite_column(project.db(), fmt::format("SELECT x FROM t{}", i));
      });
    }
    ProcessResult rerun = project.run("migrate-upgrade");
    INFO(rerun.err);
    REQUIRE(rerun.exit_code == 0);
    CHECK(applied_ids(project.db()).size() == kMigrations);
  }
  // Most kills must land while migrate runs, or the test proves little.
  CHECK(interrupted > kKills / 2);
}

TEST_CASE("crash safety: PostgreSQL, killed at random moments 30 times", "[e2e][crash][postgres]") {
  std::random_device seed;
  std::mt19937 random(seed());
  PostgresDatabase calibration_db;
  Project calibration;
  add_slow_migrations(calibration, kPostgresSlowStatement);
  std::chrono::milliseconds run_time = time_one_run([&] {
    return calibration.run("migrate-upgrade", {"--database", calibration_db.url()});
  });
  int interrupted = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    PostgresDatabase db;
    Project project;
    add_slow_migrations(project, kPostgresSlowStatement);
    RunningProcess upgrade = project.start("migrate-upgrade", {"--database", db.url()});
    std::this_thread::sleep_for(random_delay(random, run_time));
    upgrade.kill(SIGKILL);
    ProcessResult killed = upgrade.wait();
    interrupted += killed.exit_code == 128 + SIGKILL ? 1 : 0;
    INFO("kill " << kill << ", exit " << killed.exit_code);
    std::vector<std::string> tables = db.relations();
    std::vector<std::string> applied;
    if (std::find(tables.begin(), tables.end(), "schema_migrations") != tables.end()) {
      applied = db.applied_ids();
    }
    check_consistent(applied, tables,
                     [&](int i) { return db.column(fmt::format("SELECT x FROM t{}", i)); });
    // The killed client's server session may still hold the migration lock
    // until the server notices it is gone; the rerun waits for it.
    ProcessResult rerun = project.run("migrate-upgrade", {"--database", db.url()});
    INFO(rerun.err);
    REQUIRE(rerun.exit_code == 0);
    CHECK(db.applied_ids().size() == kMigrations);
  }
  CHECK(interrupted > kKills / 2);
}
