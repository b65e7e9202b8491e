#include "db/open_database.hpp"

#include <filesystem>

#include "db/postgres/postgres_driver.hpp"
#include "db/sqlite/sqlite_driver.hpp"

namespace migrate {

std::unique_ptr<Driver> open_database(const DatabaseUrl& url, const ConnectOptions& options) {
  switch (url.scheme) {
    case DatabaseUrl::Scheme::sqlite:
      if (options.read_only && !url.memory && !std::filesystem::exists(url.path)) {
        return nullptr;
      }
      return std::make_unique<SqliteDriver>(url, options);
    case DatabaseUrl::Scheme::postgres:
      return std::make_unique<PostgresDriver>(url, options);
  }
  throw ConfigError("unknown database scheme");
}

}  // namespace migrate
