#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;
class DevDatabases;
struct ConnectOptions;
struct Target;

/// How a live database differs from what its applied migrations build.
struct LiveDrift {
  std::vector<std::string> changes;  ///< what was changed by hand; empty: no drift
  std::size_t orphans = 0;  ///< applied migrations with no file here: what they made shows here

  bool drifted() const { return !changes.empty(); }
};

/// Live drift: the schema of `live` (read-only, leaving out what `options` says) against the
/// replay, on a development database from `dev`, of the migrations `status` says are applied
/// there (its applied heads, with what they depend on). Throws what reading the schema and
/// replaying throw.
LiveDrift live_drift(Connection& live, const DatabaseStatus& status, const RevisionGraph& graph,
                     DevDatabases& dev, SchemaReadOptions options);

/// A configured target's drift, as a view of several targets reads it (the web page): never
/// an exception, and redacted URLs only.
struct TargetDrift {
  std::string name;                ///< the target's name: "default", an [env "X"] name
  std::string database;            ///< its URL, redacted
  std::optional<LiveDrift> drift;  ///< nullopt when it could not be compared
  bool exists = true;              ///< false: the database is not created yet (nothing to drift)
  std::string error;               ///< why it could not be compared, when it exists
};

/// The development databases of an engine ("sqlite", "postgresql"), for a read of targets that
/// may use several engines.
using DevDatabasesOf = std::function<DevDatabases&(std::string_view engine)>;

/// `target`'s live drift against `graph`: its database opened read-only with `options` (their
/// timeouts), the replay on a development database of `dev_of` its engine's. Never throws.
TargetDrift read_target_drift(const Target& target, const RevisionGraph& graph,
                              const DevDatabasesOf& dev_of, const ConnectOptions& options);

}  // namespace migrate
