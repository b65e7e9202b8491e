#include "diff/replay.hpp"

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "run/execution_listener.hpp"
#include "run/executor.hpp"
#include "state/state_table.hpp"
#include "util/clock.hpp"

namespace migrate {

namespace {

void run(Connection& connection, StateTable& state, const Plan& plan) {
  ExecutionListener quiet;
  SystemClock clock;
  Executor(connection, state, clock, {}, quiet).run(plan);
}

}  // namespace

void replay_migrations(Connection& connection, const RevisionGraph& graph,
                       const RevisionSpec& target) {
  StateTable state(connection, std::string(kDevStateTable));
  state.ensure();
  DatabaseStatus status = reconcile(graph, state.read());
  run(connection, state, plan_upgrade(graph, status, {.target = target}));
}

void revert_migrations(Connection& connection, const RevisionGraph& graph) {
  StateTable state(connection, std::string(kDevStateTable));
  DatabaseStatus status = reconcile(graph, state.read());
  run(connection, state, plan_downgrade(graph, status, parse_revision_spec("base")));
}

}  // namespace migrate
