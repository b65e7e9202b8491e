// Ctrl-C and kill -9 at any moment of a command that writes: afterwards every command works
// with nothing in between (no other tool's help), and the database is at a state the command
// passes through, never between two. SQLite with migrations that write more than the page
// cache holds, so the rollback journal is on disk while they run.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <functional>
#include <thread>

#include <fmt/format.h>

#include "support/interrupted_runs.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Strings = std::vector<std::string>;

namespace {

/// ~10 MB written and deleted inside the migration's transaction.
const char* const kHeavyWrite =
    "CREATE TABLE IF NOT EXISTS filler (b BLOB);\n"
    "INSERT INTO filler WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 5000) SELECT randomblob(2000) FROM c;\nDELETE FROM filler;";

/// t with columns `columns`, created and dropped with heavy writes around.
std::string heavy_migration(const std::string& columns) {
  return migration_text(fmt::format("CREATE TABLE t ({});\n{}", columns, kHeavyWrite),
                        fmt::format("{}\nDROP TABLE t;", kHeavyWrite));
}

Strings columns_of_t(const Project& project) {
  return sqlite_column(project.db(), "SELECT name FROM pragma_table_info('t')");
}

struct Scenario {
  std::function<void(const Project&)> setup;  ///< the project before the command
  Strings command;                            ///< tool and arguments
};

/// Runs the command in fresh projects, interrupted with `signal` at random moments, until
/// `landed` interruptions came while it ran (interrupt_until). After each, `migrate-current`,
/// `migrate-history` and `migrate-upgrade --dry-run` must work at once, then `check` sees the
/// state.
void interrupt_at_random(const Scenario& scenario, int signal, int landed,
                         const std::function<void(const Project&)>& check) {
  Project calibration;
  scenario.setup(calibration);
  Strings args(scenario.command.begin() + 1, scenario.command.end());
  auto uninterrupted = [&] { return calibration.run(scenario.command.front(), args); };
  interrupt_until(
      signal, {.landed = landed, .cap = 10 * landed}, uninterrupted,
      [&](int kill, std::chrono::microseconds delay) {
        Project project;
        scenario.setup(project);
        RunningProcess running = project.start(scenario.command.front(), args);
        std::this_thread::sleep_for(delay);
        running.kill(signal);
        ProcessResult interrupted = running.wait();
        INFO("interrupt " << kill << ", exit " << interrupted.exit_code << "\n" << interrupted.err);
        for (const char* tool : {"migrate-current", "migrate-history"}) {
          ProcessResult read = project.run(tool);
          INFO(tool << ": " << read.err);
          CHECK(read.exit_code == 0);
        }
        // (--allow-changed: redo's file is edited on purpose; that refusal is not the point here.)
        ProcessResult dry_run = project.run("migrate-upgrade", {"--dry-run", "--allow-changed"});
        INFO(dry_run.err);
        CHECK(dry_run.exit_code == 0);
        check(project);
        return InterruptedRun{interrupted};
      });
}

}  // namespace

TEST_CASE("interrupt: downgrade killed or stopped with Ctrl-C at any moment", "[e2e][crash]") {
  Scenario scenario{[](const Project& project) {
                      project.add("0001_t.sql", heavy_migration("a INTEGER"));
                      REQUIRE(project.run("migrate-upgrade").exit_code == 0);
                    },
                    {"migrate-downgrade"}};
  auto check = [](const Project& project) {
    // Reverted with its row, or not at all.
    Strings applied = applied_ids(project.db());
    Strings objects = schema_objects(project.db());
    bool has_t = std::find(objects.begin(), objects.end(), "t") != objects.end();
    CHECK(has_t == (applied == Strings{"0001"}));
    ProcessResult again = project.run("migrate-downgrade", {"base"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(applied_ids(project.db()).empty());
  };
  SECTION("kill -9") {
    interrupt_at_random(scenario, SIGKILL, 8, check);
  }
  SECTION("Ctrl-C") {
    interrupt_at_random(scenario, SIGINT, 4, check);
  }
}

TEST_CASE("interrupt: redo killed or stopped with Ctrl-C at any moment", "[e2e][crash][redo]") {
  Scenario scenario{[](const Project& project) {
                      project.add("0001_t.sql", heavy_migration("a INTEGER"));
                      REQUIRE(project.run("migrate-upgrade").exit_code == 0);
                      project.add("0001_t.sql", heavy_migration("a INTEGER, b TEXT"));
                    },
                    {"migrate-redo"}};
  auto check = [](const Project& project) {
    // Before the revert, after it, or after the apply: t is the old table, none, or the new.
    Strings applied = applied_ids(project.db());
    Strings columns = columns_of_t(project);
    CHECK((columns == Strings{"a"} || columns.empty() || columns == Strings{"a", "b"}));
    CHECK(columns.empty() == applied.empty());
    // Finishing the job: upgrade applies what is pending; an applied old version is redone.
    ProcessResult finish =
        project.run(columns == Strings{"a"} ? "migrate-redo" : "migrate-upgrade");
    INFO(finish.err);
    REQUIRE(finish.exit_code == 0);
    CHECK(columns_of_t(project) == Strings{"a", "b"});
    CHECK(applied_ids(project.db()) == Strings{"0001"});
  };
  SECTION("kill -9") {
    interrupt_at_random(scenario, SIGKILL, 8, check);
  }
  SECTION("Ctrl-C") {
    interrupt_at_random(scenario, SIGINT, 4, check);
  }
}
