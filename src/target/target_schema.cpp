#include "target/target_schema.hpp"

#include <fmt/format.h>

#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "state/foreign_state_reader.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"

namespace migrate {

SchemaReadOptions schema_read_options(const Target& target) {
  return schema_read_options(target.state_table());
}

SchemaReadOptions schema_read_options(const std::string& state_table) {
  SchemaReadOptions options;
  options.excluded_tables.push_back(state_table);
  for (const std::string& table : foreign_state_tables()) {
    options.excluded_tables.push_back(table);
  }
  return options;
}

SchemaModel read_target_schema(const Target& target) {
  DatabaseUrl url = target_url(target);
  std::unique_ptr<Connection> connection = open_database(url, {.read_only = true});
  if (!connection) {
    throw DbError(
        fmt::format("{} does not exist yet: there is no schema to read. `migrate "
                    "upgrade` creates it",
                    url.redacted()));
  }
  return read_schema(*connection, schema_read_options(target));
}

}  // namespace migrate
