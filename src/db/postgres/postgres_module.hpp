#pragma once

#include <memory>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"

// The PostgreSQL engine's connections live in a module (libmigrate-postgres.so, db/postgres/
// libpq/), loaded by postgres_engine.cpp when a postgres:// URL is first opened: see
// util/module.hpp for why. This is the whole of what the core knows of it.

namespace migrate {

inline constexpr const char* kPostgresModule = "migrate-postgres";

}  // namespace migrate

/// The module's entry: opens a connection (PostgresConnection) to `url`.
extern "C" std::unique_ptr<migrate::Connection> migrate_open_postgres(
    const migrate::DatabaseUrl& url, const migrate::ConnectOptions& options);
