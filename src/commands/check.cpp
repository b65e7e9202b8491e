#include "commands/check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "check/commit_check.hpp"
#include "commands/context.hpp"
#include "commands/dev_stop.hpp"
#include "commands/git_workspace.hpp"
#include "commands/model_check.hpp"
#include "commands/workspace.hpp"
#include "config/environment.hpp"
#include "db/engine.hpp"
#include "diff/project_model.hpp"
#include "diff/replay.hpp"
#include "git/git_backend.hpp"
#include "lint/lint_migrations.hpp"
#include "migration/migration_dir.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "output/lint_text.hpp"
#include "util/error.hpp"
#include "util/stop_signals.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// A file that still holds git's conflict markers.
bool has_conflict_markers(const std::string& text) {
  return text.starts_with("<<<<<<<") || text.find("\n<<<<<<<") != std::string::npos;
}

/// The changes the gate looks at: in the migrations folder and under the `models` patterns.
/// A diff per pattern, because libgit2 then walks only the folders under its literal prefix;
/// the rest of a large repository is never read.
std::vector<PathChange> changes_that_matter(
    const CommitCheckInput& input, const std::vector<std::string>& models,
    const std::function<std::vector<PathChange>(const std::string&)>& diff) {
  std::vector<PathChange> changes = diff(input.folder.empty() ? "*" : input.folder + "/");
  for (const std::string& pattern : models) {
    for (PathChange& change : diff(pattern)) {
      bool seen = std::any_of(changes.begin(), changes.end(), [&](const PathChange& known) {
        return known.path == change.path;  // patterns can overlap
      });
      if (!seen) {
        changes.push_back(std::move(change));
      }
    }
  }
  return changes;
}

/// The commit as `git commit` would make it: the index against HEAD. `text` reads a staged
/// migration's blob, by its path in the graph, for the linter.
void read_staged(const GitRepo& repo, const GitTree* head, const Context& context,
                 const GitIndex& index, CommitCheckInput& input, MigrationText& text) {
  const std::vector<std::string>& models = context.config.models;
  input.changes = changes_that_matter(input, models, [&](const std::string& pathspec) {
    return repo.staged_changes(head, index, pathspec);
  });
  auto folder =
      std::make_shared<GitMigrationFolder>(migration_folder_in_index(repo, index, input.folder));
  input.head_file = folder->head_file;
  std::string head_path = input.folder.empty() ? "HEAD" : input.folder + "/HEAD";
  for (const std::string& path : index.conflicted_paths()) {
    input.head_file_conflicted = input.head_file_conflicted || path == head_path;
  }
  input.read_migrations = [&repo, folder, format = context.config.format,
                           skip = context.config.skip_go] {
    return folder->parse(repo, format, skip);
  };
  text = [&repo, folder](const std::filesystem::path& file) {
    std::string path = file.generic_string();
    std::string prefix = folder->folder.empty() ? "" : folder->folder + "/";
    const GitFolderEntry* entry =
        path.starts_with(prefix) ? folder->find(path.substr(prefix.size())) : nullptr;
    if (entry == nullptr) {
      throw IoError(fmt::format("{} is not staged in {}", path, prefix));
    }
    return repo.read_blob(entry->id);
  };
}

/// The commit `git add -A && git commit` would make: the work tree against HEAD.
void read_work_tree(const GitRepo& repo, const GitTree* head, const Context& context,
                    CommitCheckInput& input) {
  const std::vector<std::string>& models = context.config.models;
  input.changes = changes_that_matter(input, models, [&](const std::string& pathspec) {
    return repo.work_tree_changes(head, pathspec);
  });
  std::optional<std::string> head_file = read_head_file(context.config.migrations_dir);
  input.head_file_conflicted = head_file && has_conflict_markers(*head_file);
  input.head_file = head_file;
  std::filesystem::path dir = context.config.migrations_dir;
  // No environment: ENVSUB lines stay as written (nothing runs here); --skip-go skips quietly.
  input.read_migrations = [dir, format = context.config.format, skip = context.config.skip_go] {
    return std::filesystem::is_directory(dir)
               ? read_migration_dir(dir, format, GooseSettings{{}, skip, nullptr})
               : std::vector<Migration>{};
  };
}

/// The linter, as the gate runs it: the configured engine's rules and migrate.conf's settings,
/// each migration's text from where the gate read it (`text`; unset: the work tree's files).
/// Files are named from the work tree's root, as the gate's problems name them. The engine's
/// dialect is loaded only when there is something to lint: most commits bring no migration,
/// and PostgreSQL's module is not loaded for them.
void add_linter(const Context& context, const GitRepo& repo, MigrationText text,
                CommitCheckInput& input) {
  input.lint = [&context, base = repo.workdir(), settings = context.config.lint,
                text = std::move(text), snapshot = lint_replay_snapshot_file(repo)](
                   const RevisionGraph& graph, const LintScope& scope) {
    const Engine& engine = engine_of(configured_database(context));
    const Dialect& dialect = engine.dialect();
    LintRequest request;
    LintDatabases databases(dialect, std::string(engine.name), graph, nullptr,
                            snapshot);  // SQLite's rules
    request.database_before = databases.lookup();
    request.chosen = scope.chosen;
    request.branch = scope.branch;
    request.base = base;
    request.settings = settings;
    request.read_text = text;
    return lint_migrations(dialect, graph, request);
  };
}

void print_report(Context& context, const CommitCheckReport& report, const CheckOptions& options) {
  Console& console = context.console;
  const char* what = options.amend    ? "the amended commit"
                     : options.staged ? "the staged commit"
                                      : "the work tree";
  // The linter's warnings and notes pass, printed; its errors are among the problems.
  for (const Finding& finding : report.lint) {
    if (finding.severity != Severity::error) {
      print_finding(console, finding);
    }
  }
  if (report.ok()) {
    std::string added = report.new_migrations.empty()
                            ? std::string()
                            : fmt::format(", {} new", report.new_migrations.size());
    console.info("{} is fine: {} migration{}{}, head {}", what, report.migrations,
                 report.migrations == 1 ? "" : "s", added,
                 report.heads.empty() ? "(none)" : report.heads.front());
    return;
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < report.problems.size(); ++i) {
    lines.push_back(fmt::format("{}. {}", i + 1, report.problems[i].message));
  }
  throw CheckFailed(fmt::format("{} is refused ({} problem{}):\n{}", what, report.problems.size(),
                                report.problems.size() == 1 ? "" : "s", fmt::join(lines, "\n")));
}

}  // namespace

ExitCode run_check(Context& context, const CheckOptions& options) {
  std::unique_ptr<GitRepo> opened = open_repository(context, "migrate-check");
  const GitRepo& repo = *opened;
  CommitCheckInput input;
  input.folder = migrations_folder(repo, context);
  input.name_ordered =
      context.config.format && context.config.format->format == MigrationFormat::stem;
  // The hook's way to pass --allow-edit: `MIGRATE_ALLOW_EDIT="ID …" git commit`. Either way,
  // several ids may be separated by spaces or commas.
  std::vector<std::string> allowed = options.allowed_edits;
  if (std::optional<std::string> variable = context.environment.get("MIGRATE_ALLOW_EDIT")) {
    allowed.push_back(*variable);
  }
  for (const std::string& words : allowed) {
    for (std::string_view id : split_words(words, /*commas=*/true)) {
      input.allowed_edits.emplace_back(id);
    }
  }
  std::unique_ptr<PathPatterns> models = load_git_backend().path_patterns(context.config.models);
  input.models = models.get();

  // With a model configured, the exact answer, in development databases (and, for the staged
  // commit, a temporary folder) that Ctrl-C and SIGTERM remove: taken from here on, before any
  // thread starts.
  std::optional<std::filesystem::path> inputs = model_inputs(context.config);
  std::optional<DriftWorkspace> drift;
  std::optional<StopSignals> stop_signals;
  if (inputs) {
    drift.emplace(context);
    stop_signals.emplace(abandon_handler(drift->dev(), "migrate-check"));
  }

  // What the commit is compared with: its parent-to-be. An amended commit replaces HEAD, so
  // HEAD's parent (none for a first commit, as before any commit).
  std::unique_ptr<GitTree> head = repo.tree_of(options.amend ? "HEAD^" : "HEAD");
  std::unique_ptr<GitTree> upstream = repo.tree_of(context.config.upstream);
  if (upstream) {
    input.upstream = migration_folder_in_tree(repo, *upstream, input.folder);
  } else {
    // Not silent: a misspelt `upstream` would turn the shared-migration check off for good.
    context.console.note(fmt::format(
        "the upstream branch {} does not exist here, so edits of shared migrations are not "
        "checked (set `upstream` in migrate.conf, or fetch it)",
        context.config.upstream));
  }
  const GitTree* head_tree = head.get();
  if (head_tree != nullptr) {
    input.read_head_migrations = [&repo, head_tree, folder = input.folder,
                                  format = context.config.format, skip = context.config.skip_go] {
      return migration_folder_in_tree(repo, *head_tree, folder).parse(repo, format, skip);
    };
  }
  std::unique_ptr<GitIndex> index;
  MigrationText staged_text;
  if (options.staged) {
    index = repo.index();
    read_staged(repo, head_tree, context, *index, input, staged_text);
    if (inputs) {
      compare_staged_model(repo, context, *index, *inputs, *drift, input);
    }
  } else {
    read_work_tree(repo, head_tree, context, input);
    if (inputs) {
      compare_work_tree_model(repo, context, *inputs, *drift, input);
    }
  }

  add_linter(context, repo, std::move(staged_text), input);

  CommitCheckReport report = check_commit(input, &context.kept);
  const std::string shared_ref = upstream ? context.config.upstream : std::string();
  // What was read is left to the process's end (KeptUntilExit): the upstream folder's entries,
  // and libgit2's repository, index and trees, which freeing only gives back memory (nothing
  // here is written or locked). Freeing it was a twelfth of the gate's work at 5,000
  // migrations. (A refused commit's report throws, and what was read is freed on the way.)
  context.kept.keep(std::move(input));
  context.kept.keep(std::move(index));
  context.kept.keep(std::move(upstream));
  context.kept.keep(std::move(head));
  context.kept.keep(std::move(opened));
  if (context.json) {
    context.console.result(check_json(report, options.staged, shared_ref));
    return report.ok() ? ExitCode::success : ExitCode::check_failed;
  }
  print_report(context, report, options);
  return ExitCode::success;
}

}  // namespace migrate
