#pragma once

#include <string>
#include <vector>

namespace migrate {

/// What a schema reader leaves out, besides what every reader leaves out (the engine's own
/// objects, and what extensions created).
struct SchemaReadOptions {
  /// Tables that are no part of the schema: migrate's state table and other tools' (as a
  /// configuration names them: "schema_migrations", or "app.schema_migrations"; an unqualified
  /// name matches in every schema).
  std::vector<std::string> excluded_tables;
};

}  // namespace migrate
