#include "diff/replay.hpp"

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "run/execution_listener.hpp"
#include "run/executor.hpp"
#include "state/state_table.hpp"
#include "util/clock.hpp"

namespace migrate {

void run_dev_plan(Connection& connection, const Plan& plan) {
  StateTable state(connection, std::string(kDevStateTable));
  ExecutionListener quiet;
  SystemClock clock;
  Executor(connection, state, clock, {}, quiet).run(plan);
}

void replay_migrations(Connection& connection, const RevisionGraph& graph,
                       const RevisionSpec& target) {
  StateTable state(connection, std::string(kDevStateTable));
  state.ensure();
  DatabaseStatus status = reconcile(graph, state.read());
  // An empty up section is no fault here: the tool that applied it (upgrade --allow-empty)
  // or the gate (its empty-migration rule) has its say about it.
  run_dev_plan(connection, plan_upgrade(graph, status, {.target = target, .allow_empty = true}));
}

SchemaModel replayed_schema(DevDatabases& dev, const RevisionGraph& graph,
                            const std::vector<RevisionSpec>& targets, SchemaReadOptions options) {
  std::unique_ptr<DevDatabase> database = dev.open();
  for (const RevisionSpec& target : targets) {
    replay_migrations(database->connection(), graph, target);
  }
  options.excluded_tables.emplace_back(kDevStateTable);
  return read_schema(database->connection(), options);
}

void revert_migrations(Connection& connection, const RevisionGraph& graph) {
  StateTable state(connection, std::string(kDevStateTable));
  DatabaseStatus status = reconcile(graph, state.read());
  run_dev_plan(connection, plan_downgrade(graph, status, parse_revision_spec("base")));
}

}  // namespace migrate
