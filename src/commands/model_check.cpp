#include "commands/model_check.hpp"

#include <fmt/format.h>

#include "check/model_agreement.hpp"
#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "config/environment.hpp"
#include "db/engine.hpp"
#include "diff/model_drift.hpp"
#include "diff/project_model.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/module.hpp"

namespace migrate {

namespace {

constexpr const char* kStagedPrefix = "migrate-staged";

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
          config.schema_command,
          model};
}

}  // namespace

DriftWorkspace::DriftWorkspace(const Context& context)
    : m_dev(std::string(engine_of(configured_database(context)).name),
            context.config.dev_database_url),
      m_parent(context.environment.get("TMPDIR").value_or("/tmp")),
      m_remove_staged(m_dev, [this] {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_abandoned = true;
        if (m_staged) {
          m_staged->remove();
        }
      }) {
  TempFolder::remove_abandoned(kStagedPrefix, m_parent);
}

const TempFolder& DriftWorkspace::write_staged(
    const std::function<void(const std::filesystem::path&)>& write) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_abandoned) {  // the process is ending: make nothing it would leave behind
    throw IoError("the check was stopped");
  }
  if (!m_staged) {
    m_staged = std::make_unique<TempFolder>(kStagedPrefix, m_parent);
  }
  write(m_staged->path());
  return *m_staged;
}

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
  bool command = !context.config.schema_command.empty();
  workspace.dev().keep_replays_in(replay_snapshot_file(repo));
  input.model_drift = [&repo, &context, &index, &workspace, inputs, model, command,
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
      return ModelDrift{model, {}, {}, command};
    }
    const TempFolder& staged = workspace.write_staged(
        [&](const std::filesystem::path& folder) { repo.write_index_files(index, model, folder); });
    std::filesystem::path root =
        staged.path() / repo.relative_path(context.config.root);  // the project's, staged
    std::optional<SchemaSource> source = model_source(context.config, root);
    if (source->kind == SchemaSource::Kind::files) {
      source->text = model;  // as the index names it
    }
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
    return ModelDrift{model, std::move(drift.migration), std::move(drift.text), command};
  };
}

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
  if (source->kind == SchemaSource::Kind::files) {
    source->text = model;
  }
  bool command = source->kind == SchemaSource::Kind::command;
  workspace.dev().keep_replays_in(replay_snapshot_file(repo));
  input.model_drift = [&context, &workspace, source = *source, model,
                       command](const RevisionGraph& graph) {
    GeneratedMigration drift =
        model_drift(workspace.dev(), context.config, graph, source, kProposalTitle);
    return ModelDrift{model, std::move(drift.migration), std::move(drift.text), command};
  };
}

}  // namespace migrate
