#pragma once

#include <chrono>
#include <memory>

#include "db/database_url.hpp"
#include "db/driver.hpp"

namespace migrate {

struct ConnectOptions {
  /// Never create or change anything (current, history, --sql, --dry-run).
  bool read_only = false;
  /// How long to wait for another process's lock (SQLite busy timeout, PostgreSQL lock).
  std::chrono::milliseconds lock_timeout{60'000};
};

/// Opens the database `url` names with the driver for its scheme. Returns nullptr when opening
/// read-only a database that does not exist yet: for the read commands that means "nothing is
/// applied", and they must not create it.
std::unique_ptr<Driver> open_database(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace migrate
