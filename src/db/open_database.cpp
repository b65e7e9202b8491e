#include "db/open_database.hpp"

#include <filesystem>

#include "db/sqlite/sqlite_driver.hpp"

namespace migrate {

std::unique_ptr<Driver> open_database(const DatabaseUrl& url, const ConnectOptions& options) {
  switch (url.scheme) {
    case DatabaseUrl::Scheme::sqlite:
      if (options.read_only && !url.memory && !std::filesystem::exists(url.path)) {
        return nullptr;
      }
      return std::make_unique<SqliteDriver>(url, options.read_only, options.lock_timeout);
    case DatabaseUrl::Scheme::postgres:
      break;
  }
  throw ConfigError("PostgreSQL is not supported by this build yet; use a sqlite: URL");
}

}  // namespace migrate
