#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct LintOptions {
  /// Migration files or revisions (ids, stems); none: the migrations not yet on `upstream`.
  std::vector<std::string> targets;
  bool list_rules = false;
  /// Write the safe forms that are mechanical (lint/lint_fix) into this branch's migrations,
  /// then lint again.
  bool fix = false;
  /// --format: "text" (the default), "sarif" (SARIF 2.1.0), "github" (workflow commands).
  std::string format = "text";
  /// What the upgrade sets in every migration (its --migration-lock-timeout and
  /// --statement-timeout, given to lint too through MIGRATE_FLAGS): a timeout the runner sets
  /// (not 0) satisfies the timeout rules.
  std::optional<std::chrono::milliseconds> migration_lock_timeout;
  std::optional<std::chrono::milliseconds> statement_timeout;
  /// --database was given: the server's version decides the version-dependent rules, and a
  /// rewrite of a table estimated small (lint-small-table) is only a note.
  bool read_server = false;
};

/// migrate-lint: the rules of src/lint on the up sections of the chosen migrations, with what
/// migrate knows (which tables this branch creates, each section's transaction mode). On SQLite
/// the migrations run on an in-memory development database (ReplayWalk) where SQLite says what
/// each statement does. Exit 0 without errors (warnings and notes are printed), 3 with an
/// error, 2 for SQL PostgreSQL's parser refuses (at its line).
ExitCode run_lint(Context& context, const LintOptions& options);

}  // namespace migrate
