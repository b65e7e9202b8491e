#pragma once

#include <memory>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/dialect.hpp"

// The PostgreSQL engine is a module, libmigrate-postgres.so: everything in db/postgres/ but
// postgres_engine, which the core registers and which loads the module the first time a
// postgres:// URL is opened or its dialect is asked for (util/module.hpp says why). libpq and
// libpg_query, and the ~25 libraries they bring, are loaded then and only then. This header is
// the whole of what the core knows of the module.

namespace migrate {

inline constexpr const char* kPostgresModule = "migrate-postgres";

}  // namespace migrate

/// Opens a connection (PostgresConnection) to `url`.
extern "C" std::unique_ptr<migrate::Connection> migrate_open_postgres(
    const migrate::DatabaseUrl& url, const migrate::ConnectOptions& options);

/// The PostgreSQL dialect (PostgresDialect: statements split by PostgreSQL's own parser).
extern "C" const migrate::Dialect* migrate_postgres_dialect();
