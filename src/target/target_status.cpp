#include "target/target_status.hpp"

#include <fmt/format.h>

#include "db/cancellable.hpp"
#include "state/state_table.hpp"
#include "target/placeholder_values.hpp"
#include "target/target.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace migrate {

DatabaseUrl target_url(const Target& target) {
  if (!target.problem.empty()) {
    throw ConfigError(target.problem);
  }
  try {
    return parse_database_url(target.url, target.base);
  } catch (const ConfigError& e) {
    if (target.source.empty()) {
      throw;
    }
    throw ConfigError(fmt::format("{}: {}", target.source, e.what()));
  }
}

TargetRows read_target_rows(const Target& target, ConnectOptions options, StopRequest* stop) {
  options.read_only = true;
  options.columns_of = target.state_table();
  TargetRows read{target_url(target), nullptr, {}};
  read.connection = open_database(read.url, options);
  if (read.connection) {
    Connection& connection = *read.connection;
    read.rows = cancellable(stop, connection, [&] {
      // A read: nothing here reverts an orphan, so its down SQL stays in the database.
      return StateTable(connection, target.state_table()).read(StateTable::DownSql::left);
    });
  }
  return read;
}

TargetStatus reconcile_target(const Target& target, TargetRows read, const RevisionGraph& graph) {
  std::optional<PlaceholderValues> placeholders;
  if (read.connection) {
    placeholders = flyway_placeholder_values(
        graph, *read.connection,
        {target.placeholders, target.state_table(), std::filesystem::current_path()},
        SystemClock());
  }
  DatabaseStatus status =
      reconcile(graph, std::move(read.rows), placeholders ? &*placeholders : nullptr);
  return {std::move(read.url), std::move(read.connection), std::move(status)};
}

TargetStatus read_target_status(const Target& target, const RevisionGraph& graph,
                                ConnectOptions options) {
  return reconcile_target(target, read_target_rows(target, options), graph);
}

TargetRead read_target(const Target& target, const RevisionGraph& graph,
                       const ConnectOptions& options) {
  TargetRead read{target.name, "", target.description(), std::nullopt, target.problem};
  if (!target.problem.empty()) {
    return read;
  }
  try {
    read.database = target_url(target).redacted();
    read.status = read_target_status(target, graph, options).status;
  } catch (const std::exception& e) {
    // Connection messages name the redacted URL; a URL that did not parse is redacted here.
    read.error = redact_url(e.what());
  }
  if (read.database.empty()) {
    read.database = redact_url(target.url);
  }
  return read;
}

}  // namespace migrate
