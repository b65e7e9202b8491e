#include "commands/check.hpp"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include <unistd.h>

#include "check/commit_check.hpp"
#include "check/model_agreement.hpp"
#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "config/environment.hpp"
#include "db/engine.hpp"
#include "diff/dev_database.hpp"
#include "diff/model_drift.hpp"
#include "diff/project_model.hpp"
#include "git/git_backend.hpp"
#include "migration/migration_dir.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/module.hpp"
#include "util/stop_signals.hpp"
#include "util/temp_folder.hpp"
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

/// The commit as `git commit` would make it: the index against HEAD.
void read_staged(const GitRepo& repo, const GitTree* head, const Context& context,
                 const GitIndex& index, CommitCheckInput& input) {
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

/// The title of the migration the gate proposes, as the command it suggests names it.
constexpr const char* kProposalTitle = "what changed";

/// The model's files relative to the work tree's root ("schema/"): where the gate reads them
/// in the index, and how it names them. nullopt when they are outside the work tree.
std::optional<std::string> model_in_repository(const GitRepo& repo, const Context& context,
                                               const std::filesystem::path& inputs) {
  std::string root = repo.relative_path(context.config.root);
  std::string path = (std::filesystem::path(root) / inputs).lexically_normal().generic_string();
  if (path.starts_with("..")) {
    return std::nullopt;
  }
  return path;
}

/// What the gate needs to compare the model with the migrations: development databases of the
/// configured engine and, for the staged commit, a folder the staged model is written into,
/// made on first use (a commit whose agreement is remembered needs none). Ctrl-C's thread
/// removes both (abandon).
class DriftWorkspace {
 public:
  static constexpr const char* kStagedPrefix = "migrate-staged";

  explicit DriftWorkspace(const Context& context)
      : m_dev(std::string(engine_of(configured_database(context)).name),
              context.config.dev_database_url),
        m_parent(context.environment.get("TMPDIR").value_or("/tmp")) {
    // What a killed check left, gone even when this one needs no folder.
    TempFolder::remove_abandoned(m_parent, kStagedPrefix);
  }

  DevDatabases& dev() { return m_dev; }
  /// The folder for the staged model: `$TMPDIR/migrate-staged-<pid>-…`.
  const TempFolder& staged_folder() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_staged) {
      m_staged = std::make_unique<TempFolder>(m_parent, kStagedPrefix);
    }
    return *m_staged;
  }
  /// Stops a throwaway cluster and removes the folder, from any thread, for a command that is
  /// about to end the process: nothing may use them after.
  void abandon() noexcept {
    m_dev.abandon();
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_staged) {
      m_staged->remove();
    }
  }

 private:
  DevDatabases m_dev;
  std::filesystem::path m_parent;
  std::mutex m_mutex;  ///< abandon() comes from another thread
  std::unique_ptr<TempFolder> m_staged;
};

/// A ParseError at a line of a schema file written from the index, told at the file's own
/// path: the staged version is the one that fails.
[[noreturn]] void rethrow_staged(const ParseError& error, const TempFolder& folder,
                                 const GitRepo& repo, const Context& context) {
  std::filesystem::path file = (std::filesystem::current_path() / error.file()).lexically_normal();
  std::filesystem::path inside = file.lexically_relative(folder.path());
  if (inside.empty() || *inside.begin() == "..") {
    throw error;
  }
  throw ParseError(display_path(repo.workdir() / inside, context.cwd), error.line(),
                   error.problem() + " (in the staged version: stage the fix with `git add`)");
}

/// Everything but the files that decides whether a model and migrations agree: for the key of
/// ModelAgreements.
std::vector<std::string> agreement_settings(const Context& context, const DevDatabases& dev,
                                            const std::string& model) {
  const Config& config = context.config;
  return {build_identity(),
          dev.engine(),
          config.dev_database_url,
          config.table,
          config.format ? std::string(format_name(config.format->format)) : std::string(),
          config.skip_go ? "skip-go" : "",
          model};
}

/// The model's drift from the migrations as `git commit` would record them: the staged model
/// files written into a temporary folder and loaded from there. Unless a commit with the same
/// model and migrations agreed before (ModelAgreements): then nothing is replayed.
void compare_staged_model(const GitRepo& repo, const Context& context, const GitIndex& index,
                          const std::filesystem::path& inputs, DriftWorkspace& workspace,
                          CommitCheckInput& input) {
  std::optional<std::string> in_repository = model_in_repository(repo, context, inputs);
  if (!in_repository) {
    throw ConfigError(fmt::format(
        "schema = {} in migrate.conf is outside the git work tree {}: the gate reads the model "
        "as it is staged, so it must be in the repository",
        inputs.string(), repo.workdir().string()));
  }
  std::string model = *in_repository;
  input.model_drift = [&repo, &context, &index, &workspace, inputs, model,
                       folder = input.folder](const RevisionGraph& graph) {
    std::vector<GitFolderEntry> files = index.files_at(model);
    if (files.empty()) {
      throw ConfigError(
          fmt::format("schema = {} in migrate.conf: nothing is staged there, so the commit has "
                      "no model. Stage it (`git add {}`), or take `schema` out of migrate.conf",
                      inputs.string(), model));
    }
    std::string key = agreement_key(agreement_settings(context, workspace.dev(), model), files,
                                    index.files_at(folder));
    std::filesystem::path remembered = repo.common_dir() / "migrate" / "model-agreements";
    ModelAgreements agreements = ModelAgreements::load(remembered);
    if (agreements.contains(key)) {
      return ModelDrift{model, {}, {}};
    }
    const TempFolder& staged = workspace.staged_folder();
    repo.write_index_files(index, model, staged.path());
    std::filesystem::path root =
        staged.path() / repo.relative_path(context.config.root);  // the project's, staged
    std::optional<SchemaSource> source = model_source(context.config, root);
    source->text = model;
    GeneratedMigration drift;
    try {
      drift = model_drift(workspace.dev(), context.config, graph, *source, kProposalTitle);
    } catch (const ParseError& e) {
      rethrow_staged(e, staged, repo, context);
    }
    if (drift.migration.empty()) {
      agreements.add(key);
      try {
        agreements.save(remembered);
      } catch (const Error&) {
        // A read-only .git: the next commit replays again, that is all.
      }
    }
    return ModelDrift{model, std::move(drift.migration), std::move(drift.text)};
  };
}

/// The same for the work tree: the model's files where they are.
void compare_work_tree_model(const GitRepo& repo, const Context& context,
                             const std::filesystem::path& inputs, DriftWorkspace& workspace,
                             CommitCheckInput& input) {
  std::optional<SchemaSource> source = model_source(context.config, context.config.root);
  // Named from the work tree's root, as the gate names paths; else as migrate.conf has it.
  std::string model = model_in_repository(repo, context, inputs).value_or(inputs.string());
  if (!std::filesystem::exists(source->path)) {
    throw ConfigError(
        fmt::format("schema = {} in migrate.conf: no such file or folder", inputs.string()));
  }
  source->text = model;
  input.model_drift = [&context, &workspace, source = *source, model](const RevisionGraph& graph) {
    GeneratedMigration drift =
        model_drift(workspace.dev(), context.config, graph, source, kProposalTitle);
    return ModelDrift{model, std::move(drift.migration), std::move(drift.text)};
  };
}

void print_report(Context& context, const CommitCheckReport& report, const CheckOptions& options) {
  Console& console = context.console;
  const char* what = options.staged ? "the staged commit" : "the work tree";
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
    stop_signals.emplace([&drift](std::string_view signal) {
      drift->abandon();
      std::string message = fmt::format("migrate-check: error: interrupted ({})\n", signal);
      (void)!::write(STDERR_FILENO, message.data(), message.size());
      ::_exit(static_cast<int>(ExitCode::failure));
    });
  }

  std::unique_ptr<GitTree> head = repo.tree_of("HEAD");  // none before the first commit
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
  if (options.staged) {
    index = repo.index();
    read_staged(repo, head_tree, context, *index, input);
    if (inputs) {
      compare_staged_model(repo, context, *index, *inputs, *drift, input);
    }
  } else {
    read_work_tree(repo, head_tree, context, input);
    if (inputs) {
      compare_work_tree_model(repo, context, *inputs, *drift, input);
    }
  }

  CommitCheckReport report = check_commit(input);
  if (context.json) {
    context.console.result(
        check_json(report, options.staged, upstream ? context.config.upstream : std::string()));
    return report.ok() ? ExitCode::success : ExitCode::check_failed;
  }
  print_report(context, report, options);
  return ExitCode::success;
}

}  // namespace migrate
