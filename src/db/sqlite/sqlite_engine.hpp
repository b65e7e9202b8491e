#pragma once

#include <string>

#include "db/engine.hpp"
#include "db/statement_trace.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

/// SQLite, the embedded default: sqlite:path.db, sqlite:///absolute.db, sqlite::memory:.
Engine sqlite_engine();

/// read_sqlite_schema and sqlite_schema_fingerprint (sqlite_schema_reader.hpp), from the core:
/// through the module, which they load.
SchemaModel read_sqlite_schema_of(Connection& connection, const SchemaReadOptions& options);
std::string sqlite_schema_fingerprint_of(Connection& connection);
/// trace_sqlite_statement (sqlite_trace.hpp), from the core: through the module.
StatementTrace trace_sqlite_statement_of(Connection& connection, std::string_view sql, bool run);

}  // namespace migrate
