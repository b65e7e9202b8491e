#pragma once

#include "db/engine.hpp"

namespace migrate {

/// SQLite, the embedded default: sqlite:path.db, sqlite:///absolute.db, sqlite::memory:.
Engine sqlite_engine();

}  // namespace migrate
