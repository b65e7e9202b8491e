#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

class Connection;

/// What the engine itself says a statement does, heard while it prepared it (SQLite's
/// authorizer, sqlite3_set_authorizer): the linter learns a statement's kind and objects from
/// the engine, never by reading its text.
struct StatementTrace {
  struct Action {
    enum class Kind { create_table, drop_table, alter_table, pragma, other };
    Kind kind = Kind::other;
    /// The authorizer's arguments: create_table and drop_table: the table; alter_table: the
    /// database, the table and, for DROP COLUMN, the column; pragma: its name and its value
    /// (empty when it only reads).
    std::string arg1, arg2, arg3;
    bool temporary = false;  ///< a TEMP table's create or drop
  };
  std::vector<Action> actions;
  /// The engine's own message when it refused the statement; nullopt when it ran (or, not run,
  /// compiled).
  std::optional<std::string> error;
};

/// Prepares one statement on `connection` with the engine's authorizer listening and, when
/// `run`, runs it. Never throws for the statement's own failure (StatementTrace::error);
/// nullopt where the engine has no authorizer migrate reaches (PostgreSQL).
std::optional<StatementTrace> trace_statement(Connection& connection, std::string_view sql,
                                              bool run);

}  // namespace migrate
