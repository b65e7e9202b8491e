// Beside schema_readers.cpp and engine_registry.cpp, a file that names an engine folder: only
// SQLite's module has an authorizer to trace statements with.
#include "db/statement_trace.hpp"

#include "db/connection.hpp"
#include "db/sqlite/sqlite_engine.hpp"

namespace migrate {

std::optional<StatementTrace> trace_statement(Connection& connection, std::string_view sql,
                                              bool run) {
  if (connection.dialect().name() == "sqlite") {
    return trace_sqlite_statement_of(connection, sql, run);
  }
  return std::nullopt;
}

}  // namespace migrate
