#include "db/open_database.hpp"

#include "db/engine.hpp"

namespace migrate {

std::unique_ptr<Connection> open_database(const DatabaseUrl& url, const ConnectOptions& options) {
  return engine_of(url).open(url, options);
}

}  // namespace migrate
