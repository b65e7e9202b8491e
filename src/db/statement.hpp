#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "util/error.hpp"

namespace migrate {

/// One statement of a section and where it starts in the section's text.
struct Statement {
  std::string sql;
  std::size_t offset = 0;
};

/// What a statement leaves behind in its session, beyond its own effect.
enum class SessionEffect {
  none,     ///< nothing that outlives the statement (most statements)
  setting,  ///< SET or RESET of a setting, the role or the session authorization: replayable
  other,    ///< may change the session too (DISCARD, a DO block, set_config()): not replayable
};

/// A statement's SessionEffect, and for a SET or RESET, what it sets.
struct SessionChange {
  SessionEffect effect = SessionEffect::none;
  /// The setting a SET or RESET names ("search_path", "role", "session_authorization"), in
  /// lower case; empty for RESET ALL.
  std::string setting;
  bool reset = false;  ///< RESET, RESET ALL, SET … TO DEFAULT: back to the session's own value
  bool local = false;  ///< SET LOCAL: it ends with the transaction, nothing outlives it
};

/// A statement the database (or its parser) refused: its own message, and where in the SQL
/// when it says.
class StatementError : public DbError {
 public:
  StatementError(const std::string& message, std::optional<std::size_t> offset,
                 std::string sqlstate = {})
      : DbError(message), m_offset(offset), m_sqlstate(std::move(sqlstate)) {}
  /// Byte offset of the error in the SQL passed to execute(), when the database reports one.
  std::optional<std::size_t> offset() const { return m_offset; }
  /// PostgreSQL's SQLSTATE ("42P01"), empty when the database has none.
  const std::string& sqlstate() const { return m_sqlstate; }

 private:
  std::optional<std::size_t> m_offset;
  std::string m_sqlstate;
};

}  // namespace migrate
