#pragma once

#include "lint/finding.hpp"
#include "lint/rule_family.hpp"

namespace migrate {

/// SQLite's rules: what a statement does is learnt from SQLite itself on a development database
/// (lint/sqlite_linter), not from a parse tree, so this family's check, run on PostgreSQL's
/// statements, finds nothing; the family lists the rules (--list-rules, suppressions,
/// configuration) and sqlite_linter reports them.
const RuleFamily& sqlite_rules();

/// The SQLite rules, for sqlite_linter.
enum class SqliteRule {
  rebuild_with_foreign_keys,     ///< a rebuild's DROP TABLE cascades to the tables referencing it
  foreign_keys_in_transaction,   ///< PRAGMA foreign_keys inside a transaction: a no-op
  drop_column_in_use,            ///< DROP COLUMN of a column an index, FK, trigger or view uses
  add_column_needs_empty_table,  ///< ADD COLUMN that SQLite refuses once the table has rows
  rename_breaks_dependents,      ///< a rename that leaves a view or trigger broken
  refused,                       ///< a statement SQLite refuses
};
const RuleInfo& sqlite_rule(SqliteRule rule);

}  // namespace migrate
