#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/lint_statement.hpp"
#include "lint/pg_node.hpp"

namespace migrate {

/// What the rules know besides the statement: what migrate knows and a standalone linter
/// guesses at.
struct LintContext {
  /// Tables no deployed code or data uses yet: created earlier in this migration, or in a
  /// migration not yet on `upstream` (add_new_table). `schema.name`, `public` for a name
  /// without one (as libpg_query gives them: unquoted names already folded;
  /// SQLite's in lower case, as it compares names without regard to case).
  std::set<std::string> new_tables;
  /// Partitioned tables (CREATE TABLE … PARTITION BY) in any migration before: PostgreSQL has
  /// no CONCURRENTLY for their indexes. Keys as new_tables'.
  std::set<std::string> partitioned_tables;
  /// The runner sets these: lock_timeout in each transaction of its own
  /// (--migration-lock-timeout; --lock-timeout is the wait for migrate's advisory lock),
  /// statement_timeout for the session (--statement-timeout).
  bool runner_lock_timeout = false;
  bool runner_statement_timeout = false;
  /// The server's version (server_version_num, 150004) with --database; 0 when unknown.
  int server_version = 0;
  /// The section being linted, and where the rule's statement is in it: the rules that look
  /// back (a SET lock_timeout before, an enum value added before) read it.
  const std::vector<LintStatement>* section = nullptr;
  std::size_t index = 0;
  /// The section's option: false for `transaction:false`. (A section with its own
  /// BEGIN/COMMIT runs as written either way: LintStatement::in_transaction says where.)
  bool transaction = true;

  /// Whether the table a RangeVar node names is new (see new_tables).
  bool is_new_table(const PgNode& range_var) const;
  /// The same for a table named by its schema (empty: `public`) and name.
  bool is_new_table(std::string_view schema, std::string_view name) const;
  void add_new_table(std::string_view schema, std::string_view name);
  /// Whether the table a RangeVar node names is partitioned (see partitioned_tables).
  bool is_partitioned(const PgNode& range_var) const;
  /// Records the table `statement` creates partitioned, if it does.
  void note_partitioned(const PgNode& statement);
  /// The statements of the section before the rule's statement.
  std::span<const LintStatement> before() const;
};

/// A RangeVar's name as written, `schema.name` or `name`.
std::string table_name(const PgNode& range_var);

}  // namespace migrate
