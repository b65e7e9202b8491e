// An interrupted SQLite upgrade (SIGKILL, or Ctrl-C) leaves a hot journal, migrate.db-journal,
// which SQLite must roll back before anything can read the database. Whatever command runs next
// must do that itself and work: nothing else (no sqlite3 shell, no probe) runs in between, and
// the database is then exactly as it was before the interrupted migration. Only a database that
// really is read-only gets a read-only message.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/hot_journal.hpp"
#include "support/interrupted_runs.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

constexpr int kMigrations = 6;

/// Each migration writes more than SQLite's page cache holds (2 MB by default) before its slow
/// part, so the journal is synced and pages of the database overwritten long before the commit:
/// an interruption from then on leaves a hot journal, as a large data migration does.
const std::string kSpillThenWait =
    std::string(
        "CREATE TABLE fill{0} AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
        "FROM c WHERE n < 30000) SELECT n, randomblob(120) AS b FROM c;\n") +
    kSqliteSlowStatement;

/// What runs after an interruption. The order rotates, so each command is the first to meet
/// the hot journal for some of the interruptions.
const std::vector<Strings> kCommands = {{"migrate-current"},
                                        {"migrate-history"},
                                        {"migrate-upgrade", "--dry-run"},
                                        {"migrate-upgrade"}};

std::filesystem::path journal_of(const Project& project) {
  return project.db().string() + "-journal";
}

/// The ids applied, as the state table says (after the commands rolled any journal back).
Strings applied_now(const Project& project) {
  if (!std::filesystem::exists(project.db())) {
    return {};
  }
  Strings tables = schema_objects(project.db());
  if (std::find(tables.begin(), tables.end(), "schema_migrations") == tables.end()) {
    return {};
  }
  return applied_ids(project.db());
}

void check_state_matches_schema(const Project& project) {
  if (!std::filesystem::exists(project.db())) {
    return;  // interrupted before the first write
  }
  check_consistent(kMigrations, applied_now(project), schema_objects(project.db()), [&](int i) {
    return sqlite_column(project.db(), fmt::format("SELECT x FROM t{}", i));
  });
}

struct Outcome {
  int interrupted = 0;  ///< runs the signal ended (rather than finishing first)
  int journals = 0;     ///< runs that left a hot journal behind
};

/// Interrupts `runs` upgrades of slow migrations with `signal` at random moments. After each,
/// with nothing in between, runs every command of kCommands: each must work, and the database
/// must be the one before the interrupted migration.
Outcome interrupt_upgrades(int signal, int runs) {
  std::random_device seed;
  std::mt19937 random(seed());
  Project calibration;
  add_slow_migrations(calibration, kMigrations, kSpillThenWait);
  std::chrono::milliseconds run_time =
      time_one_run([&] { return calibration.run("migrate-upgrade"); });
  Outcome outcome;
  for (int run = 0; run < runs; ++run) {
    Project project;
    add_slow_migrations(project, kMigrations, kSpillThenWait);
    RunningProcess upgrade = project.start("migrate-upgrade");
    std::this_thread::sleep_for(random_delay(random, run_time));
    upgrade.kill(signal);
    ProcessResult stopped = upgrade.wait();
    INFO("run " << run << ", signal " << signal << ", exit " << stopped.exit_code);
    outcome.interrupted += stopped.exit_code == 128 + signal ? 1 : 0;
    outcome.journals += has_hot_journal(project.db()) ? 1 : 0;
    for (std::size_t c = 0; c < kCommands.size(); ++c) {
      const Strings& command = kCommands[(static_cast<std::size_t>(run) + c) % kCommands.size()];
      const bool writes = command.size() == 1 && command[0] == "migrate-upgrade";
      if (writes && c > 0) {
        // A read command met the journal first: the state it left is the one before the
        // interrupted migration (nothing of it half there), and the read commands say so.
        check_state_matches_schema(project);
        Strings applied = applied_now(project);
        ProcessResult current = project.run("migrate-current");
        CHECK_THAT(current.out,
                   Contains(applied.empty() ? std::string("nothing applied")
                                            : fmt::format("current   {}_step", applied.back())));
      }
      ProcessResult result = project.run(command[0], Strings(command.begin() + 1, command.end()));
      INFO(fmt::format("{}", fmt::join(command, " ")) << " exit " << result.exit_code << "\n"
                                                      << result.out << result.err);
      CHECK(result.exit_code == 0);
      CHECK_FALSE(has_hot_journal(project.db()));
    }
    check_state_matches_schema(project);
    CHECK(applied_now(project).size() == kMigrations);
  }
  return outcome;
}

/// A copy of a tool inside the project, for running as an unprivileged user (the build folder
/// may be where that user cannot go).
std::filesystem::path tool_copy(const Project& project, const std::string& tool) {
  std::filesystem::path copy = project.root() / tool;
  std::filesystem::copy_file(tool_path(tool), copy,
                             std::filesystem::copy_options::overwrite_existing);
  return copy;
}

}  // namespace

TEST_CASE("hot journal: every command works after kill -9 at random moments of an upgrade",
          "[e2e][hot-journal][crash]") {
  constexpr int kRuns = 24;
  Outcome outcome = interrupt_upgrades(SIGKILL, kRuns);
  // Most kills must land while migrate runs, and many after a migration's first spill (where
  // its journal is hot), or the test proves little.
  CHECK(outcome.interrupted > kRuns / 2);
  CHECK(outcome.journals >= kRuns / 4);
}

TEST_CASE("hot journal: every command works after Ctrl-C at random moments of an upgrade",
          "[e2e][hot-journal][crash]") {
  constexpr int kRuns = 12;
  Outcome outcome = interrupt_upgrades(SIGINT, kRuns);
  CHECK(outcome.interrupted > kRuns / 2);
  CHECK(outcome.journals >= kRuns / 4);
}

TEST_CASE("hot journal: a really read-only database says what to do, and is left alone",
          "[e2e][hot-journal]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);\nINSERT INTO a VALUES (1);"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  leave_hot_journal(project.db());
  const std::string damaged = read_text(project.db());
  const std::string journal = read_text(journal_of(project));
  std::filesystem::path current = tool_copy(project, "migrate-current");
  // Root may write anything: the tool runs as an unprivileged user for whom the file is
  // read-only (its folder is writable to everyone).
  // A journal has its database's mode.
  ::chmod(project.db().c_str(), 0444);
  ::chmod(journal_of(project).c_str(), 0444);

  ProcessResult refused =
      run_process({current.string()}, {.cwd = project.root(), .as_unprivileged_user = true});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains(project.db().string() + " has a hot journal (" +
                                   journal_of(project).string() + ")"));
  CHECK_THAT(refused.err,
             Contains("(the database file " + project.db().string() + " is read-only)"));
  CHECK_THAT(refused.err, Contains("Make it writable"));
  CHECK(read_text(project.db()) == damaged);
  CHECK(read_text(journal_of(project)) == journal);

  // Once that user may write it, the same read command rolls the journal back and reads.
  ::chmod(project.db().c_str(), 0666);
  ::chmod(journal_of(project).c_str(), 0666);
  ProcessResult read =
      run_process({current.string()}, {.cwd = project.root(), .as_unprivileged_user = true});
  INFO(read.err);
  CHECK(read.exit_code == 0);
  CHECK_THAT(read.out, Contains("current   0001_a (head)"));
  CHECK_FALSE(std::filesystem::exists(journal_of(project)));
  CHECK(sqlite_column(project.db(), "SELECT x FROM a") == Strings{"1"});
}

TEST_CASE("hot journal: a read-only database without one is read, with no read-only warning",
          "[e2e][hot-journal]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::filesystem::path current = tool_copy(project, "migrate-current");
  ::chmod(project.db().c_str(), 0444);
  ProcessResult result =
      run_process({current.string()}, {.cwd = project.root(), .as_unprivileged_user = true});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("current   0001_a (head)"));
  CHECK(result.err.empty());
}
