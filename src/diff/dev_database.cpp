#include "diff/dev_database.hpp"

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "util/error.hpp"

namespace migrate {

std::unique_ptr<Connection> open_dev_database(std::string_view engine) {
  if (engine == "sqlite") {
    return open_database(parse_database_url("sqlite::memory:", "/"), {});
  }
  throw UsageError(fmt::format(
      "loading schemas into a development database is not supported on {} yet: compare two "
      "live databases by their URLs instead",
      engine));
}

}  // namespace migrate
