#pragma once

#include <string>

#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;

/// The schema of a SQLite database, from sqlite_schema, the pragma functions (table_list,
/// table_xinfo, foreign_key_list, index_list, index_xinfo) and sqlite3_table_column_metadata
/// (collations, AUTOINCREMENT); what only the stored CREATE statements hold (CHECK constraints,
/// generated columns' expressions, partial and expression indexes, views and triggers) from
/// them by tokens (sqlite_schema_text). `connection` must be a SQLite connection. Throws
/// UnsupportedSchema for objects the model has no place for (virtual tables), naming them.
SchemaModel read_sqlite_schema(Connection& connection, const SchemaReadOptions& options);

/// Every row of sqlite_schema, the CREATE text each object was made with, as one string:
/// everything read_sqlite_schema reads derives from it, so two databases with equal fingerprints
/// have equal schemas (not the other way round: ALTER TABLE may leave another spelling).
std::string sqlite_schema_fingerprint(Connection& connection);

}  // namespace migrate
