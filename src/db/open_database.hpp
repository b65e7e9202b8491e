#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"

namespace migrate {

/// Opens the database `url` names with its engine (db/engine.hpp). Returns nullptr when opening
/// read-only a SQLite database whose file does not exist yet: for the read commands that means
/// "nothing is applied", and they must not create it. (A PostgreSQL database is never created
/// by migrate: a missing one is an error that says how to create it.)
std::unique_ptr<Connection> open_database(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace migrate
