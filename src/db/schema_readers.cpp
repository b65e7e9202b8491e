// With engine_registry.cpp, the one file that names engine folders: a schema reader per engine.
#include "db/schema_readers.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/postgres/postgres_schema_reader.hpp"
#include "db/sqlite/sqlite_engine.hpp"
#include "util/error.hpp"

namespace migrate {

SchemaModel read_schema(Connection& connection, const SchemaReadOptions& options) {
  std::string_view engine = connection.dialect().name();
  if (engine == "sqlite") {
    return read_sqlite_schema_of(connection, options);
  }
  if (engine == "postgresql") {
    return read_postgres_schema(connection, options);
  }
  throw UsageError(fmt::format("reading a schema is not supported on {} yet", engine));
}

std::optional<std::string> schema_fingerprint(Connection& connection) {
  if (connection.dialect().name() == "sqlite") {
    return sqlite_schema_fingerprint_of(connection);
  }
  return std::nullopt;
}

}  // namespace migrate
