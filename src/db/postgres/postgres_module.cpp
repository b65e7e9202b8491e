// The entry points of libmigrate-postgres.so (db/postgres/postgres_module.hpp).
#include "db/postgres/postgres_module.hpp"

#include "db/postgres/postgres_connection.hpp"
#include "db/postgres/postgres_dialect.hpp"

std::unique_ptr<migrate::Connection> migrate_open_postgres(const migrate::DatabaseUrl& url,
                                                           const migrate::ConnectOptions& options) {
  return std::make_unique<migrate::PostgresConnection>(url, options);
}

const migrate::Dialect* migrate_postgres_dialect() {
  return &migrate::postgres_dialect();
}
