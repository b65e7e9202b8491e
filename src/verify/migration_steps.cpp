#include "verify/migration_steps.hpp"

#include <string>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "state/state_table.hpp"

namespace migrate {

MigrationSteps::MigrationSteps(const RevisionGraph& graph, DevDatabases& dev,
                               SchemaReadOptions options)
    : m_dev(dev), m_options(std::move(options)) {
  m_options.excluded_tables.emplace_back(kDevStateTable);
  m_options.repeated = true;  // each development database is read after every step
  // Empty migrations are the graph step's to report: here they just run (nothing).
  m_plan = plan_upgrade(graph, reconcile(graph, {}),
                        {.target = parse_revision_spec("heads"), .allow_empty = true});
}

std::optional<std::size_t> MigrationSteps::step_of(const Migration& migration) const {
  for (std::size_t i = 0; i < m_plan.steps.size(); ++i) {
    if (m_plan.steps[i].migration == &migration) {
      return i;
    }
  }
  return std::nullopt;
}

std::unique_ptr<DevDatabase> MigrationSteps::open() const {
  std::unique_ptr<DevDatabase> database = m_dev.open();
  StateTable(database->connection(), std::string(kDevStateTable)).ensure();
  return database;
}

void MigrationSteps::apply(Connection& connection, std::size_t from, std::size_t to) const {
  if (from >= to) {
    return;
  }
  Plan plan;
  plan.steps.assign(m_plan.steps.begin() + static_cast<std::ptrdiff_t>(from),
                    m_plan.steps.begin() + static_cast<std::ptrdiff_t>(to));
  run_dev_plan(connection, plan);
}

void MigrationSteps::revert(Connection& connection, const Migration& migration) const {
  Plan plan;
  plan.steps.push_back(make_step(PlanStep::Kind::revert, migration,
                                 migration.down.value_or(Section{}), "migrate-verify"));
  run_dev_plan(connection, plan);
}

SchemaModel MigrationSteps::snapshot(Connection& connection) const {
  return read_schema(connection, m_options);
}

std::optional<std::string> MigrationSteps::fingerprint(Connection& connection) const {
  return schema_fingerprint(connection);
}

SchemaModel MigrationSteps::schema_after(std::size_t count) const {
  std::unique_ptr<DevDatabase> database = open();
  apply(database->connection(), 0, count);
  return snapshot(database->connection());
}

}  // namespace migrate
