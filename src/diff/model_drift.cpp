#include "diff/model_drift.hpp"

#include "config/config.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/renamed_migration.hpp"
#include "diff/replay.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_writer.hpp"
#include "target/target_schema.hpp"

namespace migrate {

SchemaModel replayed_schema(DevDatabases& dev, const Config& config, const RevisionGraph& graph) {
  std::unique_ptr<DevDatabase> database = dev.open();
  Connection& connection = database->connection();
  if (!graph.empty()) {
    replay_migrations(connection, graph, parse_revision_spec("heads"));
  }
  SchemaReadOptions options = schema_read_options(config.table);
  options.excluded_tables.emplace_back(kDevStateTable);
  return read_schema(connection, options);
}

GeneratedMigration model_drift(DevDatabases& dev, const Config& config,
                               const RevisionGraph& migrations, const SchemaSource& model,
                               const std::string& title) {
  // The model first: a schema file that does not load is the likelier mistake, and the
  // cheaper one to find.
  SchemaRenames renames;
  SchemaModel described = load_schema_source(model, dev, config, &renames);
  SchemaModel built = replayed_schema(dev, config, migrations);
  GeneratedMigration drift;
  drift.migration =
      migration_with_renames(dev, built, described, renames, schema_read_options(config.table));
  drift.notes = drift.migration.notes;
  if (drift.migration.empty()) {
    return drift;
  }
  Migration file;
  file.doc = {title};
  if (!migrations.empty()) {
    file.depends.emplace();
    for (std::size_t head : migrations.heads()) {
      file.depends->push_back({migrations.at(head).id, migrations.at(head).stem(), 0});
    }
  }
  fill_generated_file(file, drift.migration, model.text);
  drift.text = write_migration(file);
  return drift;
}

}  // namespace migrate
