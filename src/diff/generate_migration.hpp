#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diff/schema_source.hpp"
#include "schema/schema_migration.hpp"

namespace migrate {

class DevDatabases;
struct Config;

/// What generate_migration() made: the migration between the two schemas (empty when they
/// agree), its text in migrate's format under `title`, and the notes to tell the user (drops
/// and adds that look like renames, column orders PostgreSQL cannot make).
struct GeneratedMigration {
  SchemaMigration migration;
  std::string text;
  std::vector<std::string> notes;
};

/// Asks the user whether a drop and an add are a rename: true when they say so. Empty when
/// there is nobody to ask (no terminal).
using RenameQuestion = std::function<bool(const PossibleRename&)>;

/// The migration from the schema of `from` to that of `to` (renames as TO's files say, and as
/// the user answers `ask` about each drop and add that look like one), tried both ways on a
/// development database before it is returned (self_check). Throws CheckFailed (exit 3) naming
/// what it would drop unless `allow_destructive`, with the annotation that makes each possible
/// rename one; SelfCheckFailed (exit 1) with what still differs when the try fails, and what
/// loading the sources throws.
GeneratedMigration generate_migration(DevDatabases& dev, const Config& config,
                                      const SchemaSource& from, const SchemaSource& to,
                                      bool allow_destructive, const std::string& title,
                                      const RenameQuestion& ask = {});

}  // namespace migrate
