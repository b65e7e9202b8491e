#pragma once

#include <memory>
#include <optional>
#include <string>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/dialect.hpp"
#include "db/statement_trace.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

// The SQLite engine is a module, libmigrate-sqlite.so: everything in db/sqlite/ but
// sqlite_engine, which the core registers and which loads the module the first time a SQLite
// database is opened or its dialect is asked for (util/module.hpp says why). libsqlite3 is
// loaded then and only then: a command that uses no SQLite database (--version, --help, one on
// PostgreSQL, the gate without a model) does not pay for its ~1,500 symbol lookups at start.
// This header is the whole of what the core knows of the module.

namespace migrate {

inline constexpr const char* kSqliteModule = "migrate-sqlite";

}  // namespace migrate

/// Opens a connection (SqliteConnection) to `url`.
extern "C" std::unique_ptr<migrate::Connection> migrate_open_sqlite(
    const migrate::DatabaseUrl& url, const migrate::ConnectOptions& options);

/// The SQLite dialect (SqliteDialect: statements split where sqlite3_complete says).
extern "C" const migrate::Dialect* migrate_sqlite_dialect();

/// read_sqlite_schema (sqlite_schema_reader.hpp): `connection` is a SQLite connection.
extern "C" migrate::SchemaModel migrate_read_sqlite_schema(
    migrate::Connection& connection, const migrate::SchemaReadOptions& options);

/// sqlite_schema_fingerprint (sqlite_schema_reader.hpp).
extern "C" std::string migrate_sqlite_schema_fingerprint(migrate::Connection& connection);

/// trace_sqlite_statement (sqlite_trace.hpp): `connection` is a SQLite connection.
extern "C" migrate::StatementTrace migrate_trace_sqlite_statement(migrate::Connection& connection,
                                                                  std::string_view sql, bool run);
