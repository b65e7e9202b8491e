// Several migrate-upgrade processes started at once on one database file: every migration is
// applied exactly once and every process exits 0.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;

TEST_CASE("concurrency: four upgraders on one SQLite file apply each migration once",
          "[e2e][concurrency]") {
  constexpr int kMigrations = 25;
  constexpr int kProcesses = 4;
  constexpr int kRounds = 3;  // fresh database each round: more interleavings
  for (int round = 0; round < kRounds; ++round) {
    Project project;
    // Every migration logs itself: a double application would leave two log rows (the log has
    // no unique constraint on purpose) or fail on CREATE TABLE.
    project.add("0000_log.sql", migration_text("CREATE TABLE log (id TEXT);", "DROP TABLE log;"));
    for (int i = 1; i <= kMigrations; ++i) {
      project.add(fmt::format("{:04}_m.sql", i),
                  migration_text(fmt::format("CREATE TABLE t{0} (x INTEGER);\n"
                                             "INSERT INTO t{0} VALUES (1), (2), (3);\n"
                                             "INSERT INTO log VALUES ('{0}');",
                                             i),
                                 fmt::format("DROP TABLE t{};", i)));
    }
    std::vector<RunningProcess> running;
    for (int p = 0; p < kProcesses; ++p) {
      running.push_back(project.start("migrate-upgrade"));
    }
    for (RunningProcess& process : running) {
      ProcessResult result = process.wait();
      INFO(result.out << result.err);
      CHECK(result.exit_code == 0);
    }
    CHECK(sqlite_column(project.db(), "SELECT count(*), count(DISTINCT id) FROM log") ==
          std::vector<std::string>{std::to_string(kMigrations)});
    CHECK(sqlite_column(project.db(), "SELECT count(DISTINCT id) FROM log") ==
          std::vector<std::string>{std::to_string(kMigrations)});
    CHECK(applied_ids(project.db()).size() == kMigrations + 1);
  }
}
