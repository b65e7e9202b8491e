#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lint/lint_context.hpp"
#include "lint/pg_node.hpp"

namespace migrate {

/// A lock that blocks a table's writes (SHARE or stronger): while a statement waits for it,
/// every query queued behind it waits too, so it wants a lock_timeout.
struct StrongLock {
  std::string table;      ///< as written (`schema.name`), or "the table of index i"
  std::string_view mode;  ///< "ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE"
};

/// The first such lock that `statement` (a parse tree node) takes on a table that is not new
/// (LintContext::new_tables): ALTER TABLE, CREATE INDEX without CONCURRENTLY, DROP, RENAME,
/// TRUNCATE, LOCK, CLUSTER, VACUUM FULL, REINDEX, REFRESH MATERIALIZED VIEW, CREATE TRIGGER,
/// POLICY or RULE, a foreign key's referenced table, a new partition's parent. nullopt when
/// it takes none (DML, ALTER TABLE … VALIDATE CONSTRAINT and other SHARE UPDATE EXCLUSIVE
/// work, anything on new tables).
std::optional<StrongLock> strong_lock_on_existing_table(const PgNode& statement,
                                                        const LintContext& context);

}  // namespace migrate
