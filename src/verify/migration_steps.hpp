#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;
class DevDatabase;
class DevDatabases;
class RevisionGraph;

/// The migrations of a graph in the order a new database applies them (the upgrade plan from
/// nothing to every head: a squash instead of what it replaces, Flyway's repeatables last), and
/// development databases walked along that order one step at a time, as upgrade and downgrade
/// would run each step (diff/replay's run_dev_plan: the executor, every section's options).
/// What the stairway and the data tests of migrate-verify stand on.
class MigrationSteps {
 public:
  /// `options`: what a schema read leaves out (the development state table is added).
  MigrationSteps(const RevisionGraph& graph, DevDatabases& dev, SchemaReadOptions options);

  const std::vector<PlanStep>& steps() const { return m_plan.steps; }
  /// The step that applies `migration`; nullopt when a new database never runs it (a squash
  /// runs instead).
  std::optional<std::size_t> step_of(const Migration& migration) const;

  /// A new, empty development database, its state table made.
  std::unique_ptr<DevDatabase> open() const;
  /// Applies steps [from, to) to `connection`, in one run. Throws what the executor throws
  /// (MigrationFailed naming the file and line).
  void apply(Connection& connection, std::size_t from, std::size_t to) const;
  /// Runs the down section of `migration`, the last one applied to `connection`.
  void revert(Connection& connection, const Migration& migration) const;
  /// The schema `connection` holds now, migrate's tables left out.
  SchemaModel snapshot(Connection& connection) const;
  /// A cheap token of that schema, where the engine has one (db/schema_readers'
  /// schema_fingerprint): equal tokens, equal schemas.
  std::optional<std::string> fingerprint(Connection& connection) const;
  /// The schema after steps [0, count), read from a new development database brought there.
  SchemaModel schema_after(std::size_t count) const;

 private:
  DevDatabases& m_dev;
  SchemaReadOptions m_options;
  Plan m_plan;
};

}  // namespace migrate
