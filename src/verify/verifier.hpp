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
  /// The files of the migrations folder that differ from `upstream` (absolute paths): without
  /// --since and --changed-since, the lint step lints their migrations, and the tables they
  /// create are new. nullopt (no git, no upstream): every migration is linted, no table new.
  std::optional<std::vector<std::filesystem::path>> unreleased_files;
  std::string upstream;  ///< its name, for the notes
  /// The upgrade's --migration-lock-timeout and --statement-timeout are set (not 0): the lint
  /// rules that ask for a timeout are satisfied.
  bool runner_lock_timeout = false;
  bool runner_statement_timeout = false;
};

/// migrate-verify's steps, in order, every one run whatever the others found (but what cannot
/// run without an earlier one, which is skipped, saying why): (1) the graph: it loads (no cycle,
/// no unknown parent, valid `replaces:`), has one head (or the declared ones), migrations/HEAD
/// names it, no migration is empty; (2) lint (lint_step): the migrations --since and
/// --changed-since choose, else those not on `upstream`, have no lint finding at error level;
/// (3) base -> head applies on an empty development database; (4) the stairway
/// (walk_stairway), limited by --since and --changed-since; (5) head's schema equals the
/// `schema =` files and the `dump =` file, when configured; (6) the data tests
/// (run_data_tests). Development databases come from `dev`.
/// Throws, before any database is opened, ParseError (InvalidFiles) for a malformed data test,
/// ConfigError for a migrations folder that is not there, and GraphError for a --since
/// revision the graph does not have; then what opening a
/// development database throws (DbError, UsageError).
VerifyReport verify_migrations(const VerifyRequest& request, DevDatabases& dev,
                               const Config& config);

}  // namespace migrate
