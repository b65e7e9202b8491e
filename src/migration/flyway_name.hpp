#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "migration/migration_id.hpp"

namespace migrate {

/// What a file name in a Flyway folder says, by Flyway's rules (its ResourceNameParser).
struct FlywayName {
  enum class Kind {
    versioned,   ///< V<version>__<description>.sql: a migration
    undo,        ///< U<version>__<description>.sql: the down section of V<version>
    repeatable,  ///< R__<description>.sql
    baseline,    ///< B<version>__<description>.sql
    callback,  ///< beforeMigrate.sql, afterMigrate__x.sql, …: run around a command, no migration
    invalid,   ///< a .sql name Flyway does not run: `why` says what is wrong
  };
  Kind kind = Kind::invalid;
  MigrationId version;      ///< versioned, undo, baseline
  std::string description;  ///< after the first `__`, as written (`_` not yet read as spaces)
  std::string why;          ///< invalid: what Flyway would say is wrong with it
};

/// Reads a file name with Flyway's rules: the `.sql` suffix in any case; the prefix (V, U, R, B
/// or a callback's event name) case-sensitive; the rest split at the first `__` into the
/// version (digit groups joined by `.` or `_`; empty for R and callbacks) and the description,
/// which may be empty (`V1.sql`). nullopt for a name that does not end in `.sql`, which Flyway
/// never looks at.
std::optional<FlywayName> parse_flyway_name(std::string_view file_name);

}  // namespace migrate
