// The entry point of libmigrate-postgres-sql.so (db/postgres/postgres_module.hpp).
#include "db/postgres/postgres_dialect.hpp"
#include "db/postgres/postgres_module.hpp"

const migrate::Dialect* migrate_postgres_dialect() {
  return &migrate::postgres_dialect();
}
