#include "diff/model_drift.hpp"

#include "config/config.hpp"
#include "diff/dev_database.hpp"
#include "diff/renamed_migration.hpp"
#include "diff/replay.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_writer.hpp"
#include "target/target_schema.hpp"

namespace migrate {

GeneratedMigration model_drift(DevDatabases& dev, const Config& config,
                               const RevisionGraph& migrations, const SchemaSource& model,
                               const std::string& title) {
  // The model first: a schema file that does not load is the likelier mistake, and the
  // cheaper one to find.
  SchemaRenames renames;
  SchemaModel described = load_schema_source(model, dev, config, &renames);
  std::vector<RevisionSpec> heads;
  if (!migrations.empty()) {  // no migration yet: the empty schema
    heads.push_back(parse_revision_spec("heads"));
  }
  SchemaModel built = replayed_schema(dev, migrations, heads, schema_read_options(config.table));
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
