#pragma once

// A migrations folder and a real SQLite database file in a temporary folder, with the steps the
// tools take (read the folder, reconcile, plan, execute) one call each: for the executor and
// --sql script tests, which compare what really lands in the database file.

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "run/execution_listener.hpp"
#include "run/executor.hpp"
#include "state/state_table.hpp"
#include "support/temp_dir.hpp"
#include "util/clock.hpp"

namespace migrate::test {

/// Everything an Executor reports, one line per event.
class RecordingListener final : public ExecutionListener {
 public:
  std::vector<std::string> events;

  void step_started(const PlanStep& step) override { events.push_back("start " + step.id.text()); }
  void statement_started(const PlanStep& step, std::size_t index, std::size_t count,
                         const Statement& /*statement*/) override {
    events.push_back(fmt::format("statement {} {}/{}", step.id.text(), index + 1, count));
  }
  void step_finished(const PlanStep& step, std::chrono::milliseconds /*took*/) override {
    events.push_back("finish " + step.id.text());
  }
  void step_skipped(const PlanStep& step, std::string_view why) override {
    events.push_back(fmt::format("skip {}: {}", step.id.text(), why));
  }
  void note(std::string_view text) override { events.push_back(fmt::format("note: {}", text)); }
};

/// 2026-11-21T14:23:05.123Z, the time every test row is applied at.
inline TimePoint fixed_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 21} + hours{14} + minutes{23} + seconds{5} + milliseconds{123};
}

inline constexpr const char* kFixedTimestamp = "2026-11-21T14:23:05.123Z";

/// One connection to the project's database, as one process of the tools has.
struct ProjectConnection {
  ProjectConnection(const std::filesystem::path& file, const std::string& table)
      : db(parse_database_url("sqlite://" + file.string(), "/"), false,
           std::chrono::milliseconds(5000)),
        state(db, table) {}
  SqliteConnection db;
  StateTable state;
};

class MigrationProject {
 public:
  TempDir dir;
  std::filesystem::path migrations = dir / "migrations";
  std::filesystem::path database = dir / "app.db";
  std::string table = "schema_migrations";
  FixedClock clock{fixed_time()};
  RecordingListener listener;
  ExecutionOptions options{.applied_by = "tester", .git_commit = "0123456789abcdef"};

  MigrationProject() { std::filesystem::create_directories(migrations); }

  void write(std::string_view name, std::string_view text) const {
    write_text(migrations / name, text);
  }
  void remove(std::string_view name) const { std::filesystem::remove(migrations / name); }
  std::filesystem::path file(std::string_view name) const { return migrations / name; }

  /// The project's own connection, opened on first use (it creates the database file).
  ProjectConnection& connection() {
    if (!m_connection) {
      m_connection = connect();
    }
    return *m_connection;
  }
  /// A connection of its own, as another process would have.
  std::unique_ptr<ProjectConnection> connect() const {
    return std::make_unique<ProjectConnection>(database, table);
  }

  /// Reads the folder. Every graph read is kept alive: plans point into it.
  const RevisionGraph& load() {
    m_graphs.emplace_back(read_migration_dir(migrations));
    return m_graphs.back();
  }
  const RevisionGraph& graph() { return m_graphs.empty() ? load() : m_graphs.back(); }

  DatabaseStatus status(ProjectConnection& c) { return reconcile(graph(), c.state.read()); }
  DatabaseStatus status() { return status(connection()); }

  /// Reads the folder and plans as migrate-upgrade does (creating the state table first).
  Plan plan_upgrade(UpgradeRequest request, ProjectConnection& c) {
    load();
    c.state.ensure();
    return migrate::plan_upgrade(graph(), status(c), request);
  }
  Plan plan_upgrade(UpgradeRequest request = {}) { return plan_upgrade(request, connection()); }
  Plan plan_downgrade(std::string_view target, ProjectConnection& c) {
    load();
    c.state.ensure();
    return migrate::plan_downgrade(graph(), status(c), parse_revision_spec(target));
  }
  Plan plan_downgrade(std::string_view target) { return plan_downgrade(target, connection()); }

  ExecutionSummary run(const Plan& plan, ProjectConnection& c, const ExecutionOptions& with) {
    Executor executor(c.db, c.state, clock, with, listener);
    return executor.run(plan);
  }
  ExecutionSummary run(const Plan& plan) { return run(plan, connection(), options); }

  ExecutionSummary upgrade(UpgradeRequest request = {}) { return run(plan_upgrade(request)); }
  ExecutionSummary upgrade_with(const ExecutionOptions& with, UpgradeRequest request = {}) {
    return run(plan_upgrade(request), connection(), with);
  }
  ExecutionSummary downgrade(std::string_view target) { return run(plan_downgrade(target)); }

 private:
  std::unique_ptr<ProjectConnection> m_connection;
  std::deque<RevisionGraph> m_graphs;
};

}  // namespace migrate::test
