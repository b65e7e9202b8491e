#include "target/target_status.hpp"

#include <fmt/format.h>

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

TargetStatus read_target_status(const Target& target, const RevisionGraph& graph,
                                ConnectOptions options) {
  options.read_only = true;
  TargetStatus result{target_url(target), nullptr, {}};
  result.connection = open_database(result.url, options);
  std::vector<AppliedMigration> rows;
  std::optional<PlaceholderValues> placeholders;
  if (result.connection) {
    // A read: nothing here reverts an orphan, so its down SQL stays in the database.
    rows = StateTable(*result.connection, target.state_table()).read(StateTable::DownSql::left);
    placeholders = flyway_placeholder_values(
        graph, *result.connection,
        {target.placeholders, target.state_table(), std::filesystem::current_path()},
        SystemClock());
  }
  result.status = reconcile(graph, std::move(rows), placeholders ? &*placeholders : nullptr);
  return result;
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
