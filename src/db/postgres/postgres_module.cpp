// The entry point of libmigrate-postgres.so (db/postgres/postgres_module.hpp).
#include "db/postgres/postgres_module.hpp"

#include "db/postgres/postgres_connection.hpp"

std::unique_ptr<migrate::Connection> migrate_open_postgres(const migrate::DatabaseUrl& url,
                                                           const migrate::ConnectOptions& options) {
  return std::make_unique<migrate::PostgresConnection>(url, options);
}
