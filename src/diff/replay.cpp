#include "diff/replay.hpp"

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay_snapshot.hpp"
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

namespace {

/// The plan of a replay to `target` on an empty development database.
Plan fresh_replay(const RevisionGraph& graph, const RevisionSpec& target) {
  // An empty up section is no fault here: the tool that applied it (upgrade --allow-empty)
  // or the gate (its empty-migration rule) has its say about it.
  return plan_upgrade(graph, reconcile(graph, {}), {.target = target, .allow_empty = true});
}

/// Replays `fresh` on `database`, a snapshot that holds its first `held` steps: the rest
/// runs. False when one of them fails: the snapshot may lack what a fresh replay has (a TEMP
/// table an earlier migration made), so only a fresh replay's failure is the migrations'.
bool replay_rest(Connection& database, const Plan& fresh, std::size_t held) {
  Plan rest;
  rest.steps.assign(fresh.steps.begin() + static_cast<std::ptrdiff_t>(held), fresh.steps.end());
  try {
    run_dev_plan(database, rest);
  } catch (const Interrupted&) {
    throw;
  } catch (const DbError&) {
    return false;
  }
  return true;
}

}  // namespace

void replay_migrations(Connection& connection, const RevisionGraph& graph,
                       const RevisionSpec& target) {
  StateTable state(connection, std::string(kDevStateTable));
  state.ensure();
  DatabaseStatus status = reconcile(graph, state.read());
  run_dev_plan(connection, plan_upgrade(graph, status, {.target = target, .allow_empty = true}));
}

namespace {

/// `database` holding the replay `fresh`, started from `snapshot` when it holds the first
/// steps; null when it holds none, or one of the rest fails there (a fresh replay says
/// whether that is the migrations' fault).
std::unique_ptr<DevDatabase> replayed_from(ReplaySnapshot& snapshot,
                                           std::unique_ptr<DevDatabase> database,
                                           const Plan& fresh) {
  std::vector<std::string> steps = step_fingerprints(fresh);
  std::size_t held = snapshot.restore(database->connection(), steps);
  if (held == 0 || !replay_rest(database->connection(), fresh, held)) {
    return nullptr;
  }
  if (held < steps.size()) {
    snapshot.save(database->connection(), fresh);
  }
  return database;
}

}  // namespace

std::unique_ptr<DevDatabase> replayed_database(DevDatabases& dev, const RevisionGraph& graph,
                                               const RevisionSpec& target) {
  ReplaySnapshot* snapshot = dev.replay_snapshot();
  if (!snapshot) {
    std::unique_ptr<DevDatabase> database = dev.open();
    replay_migrations(database->connection(), graph, target);
    return database;
  }
  Plan fresh = fresh_replay(graph, target);
  if (std::unique_ptr<DevDatabase> database = replayed_from(*snapshot, dev.open(), fresh)) {
    return database;
  }
  std::unique_ptr<DevDatabase> database = dev.open();
  StateTable(database->connection(), std::string(kDevStateTable)).ensure();
  run_dev_plan(database->connection(), fresh);
  snapshot->save(database->connection(), fresh);
  return database;
}

SchemaModel replayed_schema(DevDatabases& dev, const RevisionGraph& graph,
                            const std::vector<RevisionSpec>& targets, SchemaReadOptions options) {
  std::unique_ptr<DevDatabase> database;
  if (targets.size() == 1) {
    database = replayed_database(dev, graph, targets.front());
  } else {  // several heads, one after the other: no snapshot holds that order
    database = dev.open();
    for (const RevisionSpec& target : targets) {
      replay_migrations(database->connection(), graph, target);
    }
  }
  options.excluded_tables.emplace_back(kDevStateTable);
  return read_schema(database->connection(), options);
}

ReplayWalk::ReplayWalk(DevDatabases& dev, const RevisionGraph& graph)
    : m_dev(dev), m_graph(graph) {}

ReplayWalk::~ReplayWalk() = default;

Connection& ReplayWalk::before(std::size_t index) {
  const std::vector<std::size_t>& parents = m_graph.parents(index);
  std::vector<bool> wanted = m_graph.closure(parents);
  if (!m_database || m_holds != wanted) {
    auto target = [&](std::size_t parent) {
      std::string stem = m_graph.at(parent).stem();
      return RevisionSpec{.kind = RevisionSpec::Kind::ref, .ref = stem, .text = stem};
    };
    if (parents.size() == 1) {
      m_database = replayed_database(m_dev, m_graph, target(parents.front()));
    } else {  // none, or a merge's parents one after the other
      m_database = m_dev.open();
      for (std::size_t parent : parents) {
        replay_migrations(m_database->connection(), m_graph, target(parent));
      }
    }
  }
  m_holds = std::move(wanted);
  m_holds.resize(m_graph.size());
  m_holds[index] = true;
  return m_database->connection();
}

LintDatabases::LintDatabases(const Dialect& dialect, std::string engine, const RevisionGraph& graph,
                             DevDatabases* dev, const std::filesystem::path& snapshot) {
  if (dialect.parse_tree("SELECT 1") != std::nullopt) {
    return;  // its rules read the parse tree
  }
  if (dev == nullptr) {
    m_own = std::make_unique<DevDatabases>(std::move(engine), "");
    if (!snapshot.empty()) {
      m_own->keep_replays_in(snapshot);
    }
    dev = m_own.get();
  }
  m_walk = std::make_unique<ReplayWalk>(*dev, graph);
}

LintDatabases::~LintDatabases() = default;

std::function<Connection&(std::size_t)> LintDatabases::lookup() {
  if (!m_walk) {
    return {};
  }
  return [walk = m_walk.get()](std::size_t i) -> Connection& { return walk->before(i); };
}

void revert_migrations(Connection& connection, const RevisionGraph& graph) {
  StateTable state(connection, std::string(kDevStateTable));
  DatabaseStatus status = reconcile(graph, state.read());
  run_dev_plan(connection, plan_downgrade(graph, status, parse_revision_spec("base")));
}

}  // namespace migrate
