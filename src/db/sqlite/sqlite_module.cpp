// The entry points of libmigrate-sqlite.so (db/sqlite/sqlite_module.hpp).
#include "db/sqlite/sqlite_module.hpp"

#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_dialect.hpp"
#include "db/sqlite/sqlite_schema_reader.hpp"
#include "db/sqlite/sqlite_trace.hpp"

std::unique_ptr<migrate::Connection> migrate_open_sqlite(const migrate::DatabaseUrl& url,
                                                         const migrate::ConnectOptions& options) {
  return std::make_unique<migrate::SqliteConnection>(url, options);
}

const migrate::Dialect* migrate_sqlite_dialect() {
  return &migrate::sqlite_dialect();
}

migrate::SchemaModel migrate_read_sqlite_schema(migrate::Connection& connection,
                                                const migrate::SchemaReadOptions& options) {
  return migrate::read_sqlite_schema(connection, options);
}

std::string migrate_sqlite_schema_fingerprint(migrate::Connection& connection) {
  return migrate::sqlite_schema_fingerprint(connection);
}

migrate::StatementTrace migrate_trace_sqlite_statement(migrate::Connection& connection,
                                                       std::string_view sql, bool run) {
  return migrate::trace_sqlite_statement(connection, sql, run);
}
