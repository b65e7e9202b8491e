#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "git/git_changes.hpp"
#include "git/git_migrations.hpp"
#include "git/path_patterns.hpp"
#include "lint/finding.hpp"
#include "migration/migration.hpp"
#include "schema/schema_migration.hpp"
#include "util/kept_until_exit.hpp"

namespace migrate {

class RevisionGraph;

/// One reason the pre-commit gate refuses a commit.
struct CheckProblem {
  /// "model-without-migration", "schema-drift", "shared-migration-edited",
  /// "invalid-migrations", "several-heads", "head-file", "empty-migration" or "lint" (one per
  /// finding at error level): stable, for --json.
  std::string kind;
  std::string message;             ///< what is wrong and what to do about it
  std::vector<std::string> paths;  ///< the files concerned, relative to the work tree root
};

/// The exact answer of a configured model (`schema =`) about a commit: what would make the
/// schema its migrations build the one the model describes.
struct ModelDrift {
  std::string model;          ///< the model's files, relative to the work tree's root: "schema/"
  SchemaMigration migration;  ///< empty when they agree
  std::string text;           ///< the migration file migrate-create would write for it
  bool command = false;       ///< the model is what schema-command makes (`model` names no file)
};

/// Which migrations the gate lints (indexes into the graph after the commit).
struct LintScope {
  /// Those the commit adds or changes that upstream does not have: whose findings count.
  std::set<std::size_t> chosen;
  /// Every one upstream does not have: the tables they create are new to those after them.
  /// nullopt without an upstream ref (no table is known to be new then).
  std::optional<std::set<std::size_t>> branch;
};

/// What the gate looks at: the commit's changes, the migrations folder after it, and
/// upstream's copy of the folder (what is already shared).
struct CommitCheckInput {
  std::string folder;               ///< the migrations folder, relative to the root
  std::vector<PathChange> changes;  ///< HEAD -> what would be committed
  const PathPatterns* models = nullptr;
  /// The folder in the upstream ref; nullopt when the ref does not exist (nothing shared yet).
  std::optional<GitMigrationFolder> upstream;
  std::vector<std::string> allowed_edits;  ///< --allow-edit: ids or stems
  /// Reads the migration set as it would be committed (throws its parse errors).
  std::function<std::vector<Migration>()> read_migrations;
  /// Reads the migration set in HEAD, what the commit changes (throws its parse errors); unset
  /// before the first commit. Read only when a shared migration changes: to recognise a squash.
  std::function<std::vector<Migration>()> read_head_migrations;
  std::optional<std::string> head_file;  ///< migrations/HEAD as it would be committed
  bool head_file_conflicted = false;     ///< it holds a git merge conflict
  /// `format = stem`: a file's whole stem is its migration's id (`0001_create_a.up.sql`).
  bool name_ordered = false;
  /// With a model configured: its drift from the migrations after the commit, given as their
  /// graph (when they load). The exact answer replaces the `models` patterns' guess. Throws what
  /// reading the model throws (a ParseError at a schema file's line).
  std::function<ModelDrift(const RevisionGraph&)> model_drift;
  /// The linter on the migrations after the commit (when they load), as they would be
  /// committed: the findings of `scope.chosen`, the project's settings applied. Throws
  /// ParseError for SQL the engine's parser refuses. Unset: nothing is linted.
  std::function<std::vector<Finding>(const RevisionGraph&, const LintScope& scope)> lint;
};

/// What the gate found.
struct CommitCheckReport {
  std::vector<CheckProblem> problems;
  std::vector<std::string> new_migrations;  ///< added migration files
  std::size_t migrations = 0;               ///< in the set after the commit (when it parses)
  std::vector<std::string> heads;           ///< its heads' stems
  std::optional<ModelDrift> drift;          ///< with a model configured, when the migrations load
  /// The linter's findings on what the commit brings, every severity: the errors are also
  /// problems ("lint"), the warnings and notes pass.
  std::vector<Finding> lint;
  bool ok() const { return problems.empty(); }
};

/// The pre-commit gate's rules (DESIGN.md, "Git integration"), every one applied, so a single
/// run lists everything to fix. What migrate-squash and --prune change in shared migrations
/// passes: an original deleted while a squash that upstream has already `replaces:` it (by
/// the squash's line in the commit, or in HEAD before --prune took it away); a squash whose
/// only change is losing the `replaces:` of originals deleted with it; a child whose only
/// change is its `depends:` pointing at a squash instead of a migration that squash replaces.
///
/// Given `kept`, the migration set it read is left there (KeptUntilExit) rather than freed:
/// thousands of migrations are tens of thousands of allocations, freed one by one otherwise.
CommitCheckReport check_commit(const CommitCheckInput& input, KeptUntilExit* kept = nullptr);

}  // namespace migrate
