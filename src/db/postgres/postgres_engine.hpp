#pragma once

#include "db/engine.hpp"

namespace migrate {

/// PostgreSQL through libpq: postgres://user:password@host:port/database?… (postgresql:// too).
Engine postgres_engine();

}  // namespace migrate
