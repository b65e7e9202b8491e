#pragma once

#include <memory>
#include <string_view>

#include "db/connection.hpp"

namespace migrate {

/// An empty development database of `engine` ("sqlite", "postgresql") that schemas are loaded
/// into to be read: SQLite in memory, gone with the connection. Throws UsageError for an engine
/// that has none yet, saying what to use instead.
std::unique_ptr<Connection> open_dev_database(std::string_view engine);

/// The state table migrate uses in development databases, never part of a schema read there.
inline constexpr std::string_view kDevStateTable = "migrate_dev_migrations";

}  // namespace migrate
