#pragma once

#include <cstddef>
#include <string_view>

#include "lint/pg_node.hpp"

namespace migrate {

/// One statement of a migration section as the rules see it.
struct LintStatement {
  const PgNode* node = nullptr;  ///< its parse tree node (`{"AlterTableStmt":…}`)
  std::string_view sql;          ///< its text
  int line = 1;                  ///< the file line of its first character
  std::size_t offset = 0;        ///< the byte offset of its first character in its section
  /// Runs inside a transaction: its section's (transaction:false runs each statement alone,
  /// and so does a section with its own BEGIN/COMMIT, as written), or one that a BEGIN
  /// before it in the section opened.
  bool in_transaction = true;
};

}  // namespace migrate
