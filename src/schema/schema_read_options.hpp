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
  /// The database is read again and again on this connection (a development database of
  /// migrate's own, never one behind a pooler): PostgreSQL's reader prepares its queries once
  /// per session and reuses their plans.
  bool repeated = false;
};

}  // namespace migrate
