#include "diff/generate_migration.hpp"

#include <algorithm>

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

/// Asks about each of `possible` renames, adding those the user confirms to `renames` and
/// every one asked to `asked`; a drop or an add already taken by a confirmed rename is not asked
/// about again. True when any was confirmed: the migration must be made again.
bool answer_renames(const std::vector<PossibleRename>& possible, SchemaRenames& renames,
                    const RenameQuestion& ask, std::vector<PossibleRename>& asked) {
  std::vector<PossibleRename> confirmed;
  auto taken = [&confirmed](const PossibleRename& rename) {
    return std::any_of(confirmed.begin(), confirmed.end(), [&](const PossibleRename& done) {
      return done.kind == rename.kind && done.table == rename.table &&
             (done.from == rename.from || done.to == rename.to);
    });
  };
  for (const PossibleRename& rename : possible) {
    if (taken(rename)) {
      continue;
    }
    asked.push_back(rename);
    if (ask(rename)) {
      add_rename(renames, rename);
      confirmed.push_back(rename);
    }
  }
  return !confirmed.empty();
}

}  // namespace

GeneratedMigration generate_migration(DevDatabases& dev, const Config& config,
                                      const SchemaSource& from, const SchemaSource& to,
                                      bool allow_destructive, const std::string& title,
                                      const RenameQuestion& ask) {
  SchemaModel from_schema = load_schema_source(from, dev, config);
  SchemaRenames renames;
  SchemaModel to_schema = load_schema_source(to, dev, config, &renames);
  SchemaReadOptions options = schema_read_options(config.table);
  GeneratedMigration generated;
  generated.migration = migration_with_renames(dev, from_schema, to_schema, renames, options);
  std::vector<PossibleRename> asked;
  if (ask && answer_renames(generated.migration.possible_renames, renames, ask, asked)) {
    generated.migration = migration_with_renames(dev, from_schema, to_schema, renames, options);
  }
  generated.notes = generated.migration.notes;
  for (const PossibleRename& answered : asked) {  // the user has said: no hint about it
    std::erase(generated.notes, rename_note(answered));
  }
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
