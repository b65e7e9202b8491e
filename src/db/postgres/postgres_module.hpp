#pragma once

#include <memory>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/dialect.hpp"

// The PostgreSQL engine is two modules, beside the core: everything in db/postgres/ but
// postgres_engine, which the core registers and which loads them the first time they are
// needed (util/module.hpp says why). libmigrate-postgres-sql.so is the dialect, over
// libpg_query (linters, generators and --sql scripts need nothing else);
// libmigrate-postgres.so is the connections, over libpq and the ~20 libraries it brings
// (Kerberos, LDAP, GnuTLS), loaded only when a postgres:// URL is opened. This header is the
// whole of what the core knows of them.

namespace migrate {

inline constexpr const char* kPostgresSqlModule = "migrate-postgres-sql";
inline constexpr const char* kPostgresModule = "migrate-postgres";

}  // namespace migrate

/// libmigrate-postgres.so: opens a connection (PostgresConnection) to `url`.
extern "C" std::unique_ptr<migrate::Connection> migrate_open_postgres(
    const migrate::DatabaseUrl& url, const migrate::ConnectOptions& options);

/// libmigrate-postgres-sql.so: the PostgreSQL dialect (PostgresDialect: statements split by
/// PostgreSQL's own parser).
extern "C" const migrate::Dialect* migrate_postgres_dialect();
