#include "diff/generate_migration.hpp"

#include <fmt/format.h>

#include "config/config.hpp"
#include "diff/dev_database.hpp"
#include "diff/renamed_migration.hpp"
#include "diff/self_check.hpp"
#include "target/target_schema.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

std::string listed(const std::vector<const SchemaChange*>& changes) {
  std::string text;
  for (const SchemaChange* change : changes) {
    text += fmt::format("\n  - {} ({})", change->description, change->hazard);
  }
  return text;
}

}  // namespace

GeneratedMigration generate_migration(DevDatabases& dev, const Config& config,
                                      const SchemaSource& from, const SchemaSource& to,
                                      bool allow_destructive, const std::string& title) {
  SchemaModel from_schema = load_schema_source(from, dev, config);
  SchemaRenames renames;
  SchemaModel to_schema = load_schema_source(to, dev, config, &renames);
  GeneratedMigration generated;
  generated.migration = migration_with_renames(dev, from_schema, to_schema, renames,
                                               schema_read_options(config.table));
  generated.notes = generated.migration.notes;
  if (generated.migration.empty()) {
    return generated;
  }
  if (std::vector<const SchemaChange*> destructive = generated.migration.destructive();
      !destructive.empty() && !allow_destructive) {
    std::string renames_hint;
    for (const std::string& note : generated.notes) {
      renames_hint += "\n" + note;
    }
    throw CheckFailed(fmt::format(
        "the migration from {} to {} would delete data:{}{}\nNothing was written. If that is "
        "meant, run again with --allow-destructive",
        from.text, to.text, listed(destructive), renames_hint));
  }
  generated.text = schema_migration_text(generated.migration, title);
  SelfCheck check =
      self_check(dev, from_schema, to_schema, generated.text, schema_read_options(config.table));
  if (!check.ok()) {
    throw SelfCheckFailed(fmt::format(
        "the generated migration did not pass its own test, so nothing was written.{}{}\nThis "
        "is a bug in migrate, or a schema it cannot express yet: please report it with both "
        "schemas (migrate dump)",
        check.up.empty() ? "" : "\nApplied to " + from.text + ":\n" + check.up,
        check.down.empty() ? "" : "\nThen reverted:\n" + check.down));
  }
  return generated;
}

}  // namespace migrate
