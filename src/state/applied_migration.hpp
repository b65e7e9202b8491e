#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "migration/migration_id.hpp"

namespace migrate {

/// One row of the state table: a migration applied to this database (or, for a
/// `transaction:false` section stopped part-way, partly applied).
struct AppliedMigration {
  MigrationId id;
  std::string checksum;    ///< of the up section as applied
  std::string applied_at;  ///< UTC, "2026-11-21T14:23:05.123Z"
  std::int64_t duration_ms = 0;
  std::string applied_by;  ///< operating-system user
  std::string git_commit;  ///< HEAD when applied, empty outside a git repository
  std::string title;
  std::string down_sql;                ///< the down section with its marker line: reverts an orphan
  std::optional<int> statements_done;  ///< transaction:false sections only
  std::optional<int> statements_total;

  /// A transaction:false section that stopped part-way: the next upgrade resumes it.
  bool partial() const {
    return statements_total.has_value() && statements_done.value_or(0) < *statements_total;
  }
};

}  // namespace migrate
