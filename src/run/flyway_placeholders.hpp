#pragma once

#include <filesystem>
#include <string>

#include "migration/placeholders.hpp"

namespace migrate {

class Clock;
class Connection;
struct Plan;

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
/// flyway:filename is each file's, set by apply_placeholders.
PlaceholderValues placeholder_values(Connection& connection, const PlaceholderContext& context,
                                     const Clock& clock);

/// Replaces the `${name}` placeholders of every Flyway migration's section in `plan` (the
/// files keep theirs: checksums and the parse cache never see a value), as Flyway does before
/// it parses a file. Call it on each plan before it is printed, scripted or run, and before
/// apply_format_transaction_rules, which must see the statements that run. Throws ParseError
/// at the file and line of a placeholder with no value, before anything runs. The connection
/// is asked for its values only when the plan has a Flyway step.
void apply_placeholders(Plan& plan, Connection& connection, const PlaceholderContext& context,
                        const Clock& clock);

}  // namespace migrate
