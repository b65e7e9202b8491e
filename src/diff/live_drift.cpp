#include "diff/live_drift.hpp"

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "db/schema_readers.hpp"
#include "diff/replay.hpp"
#include "graph/revision_spec.hpp"
#include "schema/schema_migration.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "target/target_status.hpp"

namespace migrate {

LiveDrift live_drift(Connection& live, const DatabaseStatus& status, const RevisionGraph& graph,
                     DevDatabases& dev, SchemaReadOptions options) {
  SchemaModel actual = read_schema(live, options);
  std::vector<RevisionSpec> heads;
  for (std::size_t head : status.applied_heads(graph)) {
    heads.push_back(parse_revision_spec(graph.at(head).id.text()));
  }
  SchemaModel replayed = replayed_schema(dev, graph, heads, options);
  LiveDrift drift;
  drift.orphans = status.orphans.size();
  if (!same_schema(replayed, actual)) {
    for (const SchemaChange& change : diff_schemas(replayed, actual).changes) {
      drift.changes.push_back(change.description);
    }
  }
  return drift;
}

TargetDrift read_target_drift(const Target& target, const RevisionGraph& graph,
                              const DevDatabasesOf& dev_of, const ConnectOptions& options) {
  TargetDrift read{target.name, redact_url(target.url), std::nullopt, true, target.problem};
  if (!target.problem.empty()) {
    return read;
  }
  try {
    TargetStatus view = read_target_status(target, graph, options);
    read.database = view.url.redacted();
    if (!view.connection) {
      read.exists = false;
      return read;
    }
    DevDatabases& dev = dev_of(engine_of(view.url).name);
    read.drift = live_drift(*view.connection, view.status, graph, dev, schema_read_options(target));
  } catch (const std::exception& e) {
    // Connection messages name the redacted URL; a URL that did not parse is redacted here.
    read.error = redact_url(e.what());
  }
  return read;
}

}  // namespace migrate
