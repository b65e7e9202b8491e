// An upgrade interrupted (kill -9, or Ctrl-C) at random moments: whatever command runs next must
// work, with nothing else (no sqlite3 shell, no probe) in between, and the database is then
// exactly as it was before the interrupted migration. On SQLite a kill leaves a hot journal,
// migrate.db-journal, which SQLite must roll back before anything can read the database: the
// next command does that itself, and only a database that really is read-only gets a read-only
// message. On PostgreSQL the server rolls a killed client's work back, and drops its lock, once
// it notices. Ctrl-C stops cleanly instead: migrate cancels and rolls back the step itself.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/hot_journal.hpp"
#include "support/interrupted_runs.hpp"
#include "support/postgres.hpp"
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
/// what the interruption left (a hot journal, a lock not yet released) for some of them.
const std::vector<Strings> kCommands = {{"migrate-current"},
                                        {"migrate-history"},
                                        {"migrate-upgrade", "--dry-run"},
                                        {"migrate-upgrade"}};

std::filesystem::path journal_of(const Project& project) {
  return project.db().string() + "-journal";
}

/// The database the upgrades run on, as the test reads it (not through migrate).
class Target {
 public:
  virtual ~Target() = default;
  /// What the tools need to find it.
  virtual Strings args() const = 0;
  /// The user tables and views (empty when there is no database yet).
  virtual Strings tables() const = 0;
  virtual Strings rows_of(int migration) const = 0;
  /// SQLite: whether a hot journal is waiting to be rolled back.
  virtual bool hot_journal() const { return false; }

  /// The ids in the state table, empty when there is none.
  Strings applied() const {
    Strings all = tables();
    return std::find(all.begin(), all.end(), "schema_migrations") == all.end() ? Strings{}
                                                                               : applied_ids();
  }

 private:
  virtual Strings applied_ids() const = 0;
};

/// The project's own migrate.db. Every read here rolls a hot journal back: only after the
/// tools ran.
class SqliteTarget final : public Target {
 public:
  explicit SqliteTarget(const Project& project) : m_db(project.db()) {}
  Strings args() const override { return {}; }
  Strings tables() const override {
    return std::filesystem::exists(m_db) ? schema_objects(m_db) : Strings{};
  }
  Strings rows_of(int migration) const override {
    return sqlite_column(m_db, fmt::format("SELECT x FROM t{}", migration));
  }
  bool hot_journal() const override { return has_hot_journal(m_db); }

 private:
  Strings applied_ids() const override { return migrate::test::applied_ids(m_db); }
  std::filesystem::path m_db;
};

class PostgresTarget final : public Target {
 public:
  Strings args() const override { return {"--database", m_db.url()}; }
  Strings tables() const override { return m_db.relations(); }
  Strings rows_of(int migration) const override {
    return m_db.column(fmt::format("SELECT x FROM t{}", migration));
  }

 private:
  Strings applied_ids() const override { return m_db.applied_ids(); }
  PostgresDatabase m_db;
};

using MakeTarget = std::function<std::unique_ptr<Target>(const Project&)>;

Strings with(Strings command, const Strings& more) {
  command.insert(command.end(), more.begin(), more.end());
  return command;
}

/// Interrupts upgrades of slow migrations (`slow_statement` in each) with `signal` at random
/// moments, until `wanted` (interrupt_until). After each, with nothing in between, runs every
/// command of kCommands: each must work, and the database must be the one before the
/// interrupted migration.
void interrupt_upgrades(int signal, const std::string& slow_statement,
                        const MakeTarget& make_target, const WantedInterruptions& wanted) {
  Project calibration;
  add_slow_migrations(calibration, kMigrations, slow_statement);
  std::unique_ptr<Target> calibration_target = make_target(calibration);
  auto uninterrupted = [&] {
    return calibration.run("migrate-upgrade", calibration_target->args());
  };
  interrupt_until(signal, wanted, uninterrupted, [&](int run, std::chrono::microseconds delay) {
    Project project;
    add_slow_migrations(project, kMigrations, slow_statement);
    std::unique_ptr<Target> target = make_target(project);
    RunningProcess upgrade = project.start("migrate-upgrade", target->args());
    std::this_thread::sleep_for(delay);
    upgrade.kill(signal);
    InterruptedRun stopped{upgrade.wait(), target->hot_journal()};
    INFO("run " << run << ", signal " << signal << ", exit " << stopped.result.exit_code << "\n"
                << stopped.result.err);
    if (signal != SIGKILL) {
      // Ctrl-C rolls back what it interrupts: nothing is left for the next command to recover.
      CHECK_FALSE(stopped.hot_journal);
    }
    auto check_consistent_now = [&] {
      check_consistent(kMigrations, target->applied(), target->tables(),
                       [&](int i) { return target->rows_of(i); });
    };
    for (std::size_t c = 0; c < kCommands.size(); ++c) {
      const Strings& command = kCommands[(static_cast<std::size_t>(run) + c) % kCommands.size()];
      const bool writes = command.size() == 1 && command[0] == "migrate-upgrade";
      if (writes && c > 0) {
        // A read command came first: the state is the one before the interrupted migration
        // (nothing of it half there), and the read commands say so.
        check_consistent_now();
        Strings applied = target->applied();
        ProcessResult current = project.run("migrate-current", target->args());
        CHECK_THAT(current.out,
                   Contains(applied.empty() ? std::string("nothing applied")
                                            : fmt::format("current   {}_step", applied.back())));
      }
      ProcessResult result = project.run(
          command[0], with(Strings(command.begin() + 1, command.end()), target->args()));
      INFO(fmt::format("{}", fmt::join(command, " ")) << " exit " << result.exit_code << "\n"
                                                      << result.out << result.err);
      CHECK(result.exit_code == 0);
      CHECK_FALSE(target->hot_journal());
    }
    check_consistent_now();
    CHECK(target->applied().size() == kMigrations);
    return stopped;
  });
}

std::unique_ptr<Target> sqlite_target(const Project& project) {
  return std::make_unique<SqliteTarget>(project);
}

std::unique_ptr<Target> postgres_target(const Project& /*project*/) {
  return std::make_unique<PostgresTarget>();
}

}  // namespace

TEST_CASE("hot journal: every command works after kill -9 at random moments of an upgrade",
          "[e2e][hot-journal][crash]") {
  // Many kills land after a migration's first spill, where its journal is hot.
  interrupt_upgrades(SIGKILL, kSpillThenWait, sqlite_target,
                     {.landed = 16, .hot_journals = 6, .cap = 200});
}

TEST_CASE("hot journal: every command works after Ctrl-C at random moments of an upgrade",
          "[e2e][hot-journal][crash]") {
  // Ctrl-C stops cleanly: the step it lands in is rolled back, no journal is left hot.
  interrupt_upgrades(SIGINT, kSpillThenWait, sqlite_target, {.landed = 8, .cap = 100});
}

TEST_CASE("interrupted upgrade: every command works after Ctrl-C on PostgreSQL",
          "[e2e][postgres][crash]") {
  // migrate cancels the statement in flight, rolls its migration back and frees the lock
  // before it exits: the commands after it must find everything as before that migration.
  interrupt_upgrades(SIGINT, kPostgresSlowStatement, postgres_target, {.landed = 8, .cap = 100});
}

TEST_CASE("hot journal: a really read-only database says what to do, and is left alone",
          "[e2e][hot-journal]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);\nINSERT INTO a VALUES (1);"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  leave_hot_journal(project.db());
  const std::string damaged = read_text(project.db());
  const std::string journal = read_text(journal_of(project));
  std::filesystem::path current = copy_tool("migrate-current", project.root());
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
  std::filesystem::path current = copy_tool("migrate-current", project.root());
  ::chmod(project.db().c_str(), 0444);
  ProcessResult result =
      run_process({current.string()}, {.cwd = project.root(), .as_unprivileged_user = true});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("current   0001_a (head)"));
  CHECK(result.err.empty());
}
