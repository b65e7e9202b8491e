#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "migration/migration.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

struct Config;
class DevDatabases;

/// What migrate-verify is asked to check, besides what migrate.conf says (`schema =`, `dump =`,
/// the state table).
struct VerifyRequest {
  /// Reads the migration set; what it throws is the graph step's failure, not an abort.
  std::function<std::vector<Migration>()> read_migrations;
  std::filesystem::path migrations_dir;  ///< as messages show it: its HEAD file, its tests/
  std::filesystem::path cwd;             ///< where messages' paths start
  /// --heads: the heads the graph must have (ids or stems); empty: exactly one.
  std::vector<std::string> heads;
  /// --since REV: the stairway walks only the migrations a database at REV has not applied.
  std::string since;
  /// --changed-since: the files of the migrations folder changed since that revision, as
  /// absolute paths; the stairway walks only their migrations. nullopt: no such limit.
  std::optional<std::vector<std::filesystem::path>> changed_files;
  std::string changed_since;  ///< that revision, for the notes
};

/// migrate-verify's steps, in order, every one run whatever the others found (but what cannot
/// run without an earlier one, which is skipped, saying why): (1) the graph: it loads (no cycle,
/// no unknown parent, valid `replaces:`), has one head (or the declared ones), migrations/HEAD
/// names it, no migration is empty; (2) base -> head applies on an empty development database;
/// (3) the stairway (walk_stairway), limited by --since and --changed-since; (4) head's schema
/// equals the `schema =` files and the `dump =` file, when configured; (5) the data tests
/// (run_data_tests). Development databases come from `dev`.
/// Throws, before any database is opened, ParseError (InvalidFiles) for a malformed data test,
/// ConfigError for a migrations folder that is not there, and GraphError for a --since
/// revision the graph does not have; then what opening a
/// development database throws (DbError, UsageError).
VerifyReport verify_migrations(const VerifyRequest& request, DevDatabases& dev,
                               const Config& config);

}  // namespace migrate
