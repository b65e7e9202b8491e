#pragma once

#include <string>
#include <vector>

#include "graph/revision_graph.hpp"
#include "schema/object_changes.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class DevDatabases;

/// What one migration's up section does to the schema, as the catalog of a development
/// database shows it before and after.
struct MigrationSchemaChange {
  std::vector<ObjectChange> changes;
  std::vector<std::string> tables;  ///< changed_tables(changes)
  std::string error;                ///< why it could not be computed; empty when it was
};

/// Applies the migrations of `graph` one by one, in its order, to one development database from
/// `dev`, reading the schema before and after each (leaving out what `options` says and the
/// development state table): each migration's changes, by index. A migration that fails gets
/// its error, and the ones after it are still tried on what the database then holds. Throws
/// what opening a development database throws.
std::vector<MigrationSchemaChange> migration_schema_changes(const RevisionGraph& graph,
                                                            DevDatabases& dev,
                                                            SchemaReadOptions options);

}  // namespace migrate
