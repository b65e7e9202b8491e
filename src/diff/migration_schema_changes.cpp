#include "diff/migration_schema_changes.hpp"

#include <memory>
#include <optional>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "graph/revision_spec.hpp"
#include "util/error.hpp"

namespace migrate {

std::vector<MigrationSchemaChange> migration_schema_changes(const RevisionGraph& graph,
                                                            DevDatabases& dev,
                                                            SchemaReadOptions options) {
  options.excluded_tables.emplace_back(kDevStateTable);
  std::unique_ptr<DevDatabase> database = dev.open();
  Connection& connection = database->connection();
  std::vector<MigrationSchemaChange> result(graph.size());
  std::optional<SchemaModel> before;  // after the previous step, when it could be read
  for (std::size_t i = 0; i < graph.size(); ++i) {
    try {
      if (!before) {
        before = read_schema(connection, options);
      }
      replay_migrations(connection, graph, parse_revision_spec(graph.at(i).id.text()));
      SchemaModel after = read_schema(connection, options);
      result[i].changes = object_changes(*before, after);
      result[i].tables = changed_tables(result[i].changes);
      before = std::move(after);
    } catch (const Error& e) {
      result[i].error = e.what();
      before.reset();  // a failed step may have left some of its work: read again
    }
  }
  return result;
}

}  // namespace migrate
