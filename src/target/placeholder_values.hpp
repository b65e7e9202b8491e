#pragma once

#include <filesystem>
#include <optional>

#include "migration/placeholders.hpp"

namespace migrate {

class Clock;
class Connection;
class RevisionGraph;

/// What Flyway's built-in placeholders stand for here, besides those of the connection.
struct PlaceholderContext {
  PlaceholderValues configured;       ///< migrate.conf's [placeholders]
  std::string table;                  ///< ${flyway:table}: the state table
  std::filesystem::path working_dir;  ///< ${flyway:workingDirectory}
};

/// The values of a Flyway folder's placeholders on `connection`: the configured ones, and
/// Flyway's built-ins: flyway:defaultSchema (PostgreSQL's current schema, SQLite's main),
/// flyway:user (PostgreSQL's current_user; SQLite has no users: empty, as in Flyway),
/// flyway:database (PostgreSQL's database; none on SQLite, as in Flyway), flyway:timestamp
/// (`yyyy-MM-dd HH:mm:ss`, UTC, from `clock`), flyway:table and flyway:workingDirectory.
/// flyway:filename is each file's, set by replace_flyway_placeholders.
PlaceholderValues placeholder_values(Connection& connection, const PlaceholderContext& context,
                                     const Clock& clock);

/// placeholder_values, when `graph` has a Flyway migration (a versioned one or a repeatable);
/// nullopt, and nothing asked of the connection, when it has none.
std::optional<PlaceholderValues> flyway_placeholder_values(const RevisionGraph& graph,
                                                           Connection& connection,
                                                           const PlaceholderContext& context,
                                                           const Clock& clock);

}  // namespace migrate
