#pragma once

#include <string_view>

#include "db/connection.hpp"
#include "db/statement_trace.hpp"

namespace migrate {

/// trace_statement (db/statement_trace.hpp) on a SQLite connection: sqlite3_set_authorizer
/// records each action SQLite authorizes while it prepares `sql` (the internal statements of
/// an ALTER TABLE included), then the statement runs when `run`. Throws InternalError when
/// `connection` is not SQLite's.
StatementTrace trace_sqlite_statement(Connection& connection, std::string_view sql, bool run);

}  // namespace migrate
