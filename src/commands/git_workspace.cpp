#include "commands/git_workspace.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "config/environment.hpp"
#include "migration/migration_dir.hpp"
#include "util/error.hpp"

namespace migrate {

std::unique_ptr<GitRepo> discover_repository(const Context& context,
                                             const std::filesystem::path& path) {
  std::unique_ptr<GitRepo> repo = GitRepo::discover(path);
  if (repo) {
    if (std::optional<std::string> file = context.environment.get("GIT_INDEX_FILE")) {
      // Relative to the work tree's root, where git resolves it (it runs from there); an
      // absolute one stays as it is.
      std::filesystem::path root = repo->workdir().empty() ? context.cwd : repo->workdir();
      repo->use_index_file(root / *file);
    }
  }
  return repo;
}

std::unique_ptr<GitRepo> open_repository(Context& context, std::string_view command) {
  std::unique_ptr<GitRepo> repo = discover_repository(context, context.cwd);
  if (!repo) {
    throw UsageError(fmt::format(
        "{} works on a git repository, and {} is not in one. Run it inside the repository "
        "that holds the migrations (or `git init` first)",
        command, context.cwd.string()));
  }
  if (repo->workdir().empty()) {
    throw UsageError(fmt::format("{} needs a work tree; {} is a bare repository", command,
                                 context.cwd.string()));
  }
  return repo;
}

std::string migrations_folder(const GitRepo& repo, const Context& context) {
  return repo.relative_path(context.config.migrations_dir);
}

void stage_head_file(const GitRepo& repo, const Context& context, GitIndex& index) {
  std::filesystem::path dir = std::filesystem::absolute(context.config.migrations_dir);
  std::string path = repo.relative_path(head_file_path(dir));
  bool conflicted = index.drop_conflict(path);
  if (conflicted || index.contains(path)) {
    index.stage(path);
  }
}

GitOperation operation_under_way(const GitRepo& repo) {
  switch (repo.operation_under_way()) {
    case GitOperationKind::merge:
      return {"merge", "commit"};
    case GitOperationKind::rebase:
      return {"rebase", "`git rebase --continue`"};
    case GitOperationKind::cherry_pick:
      return {"cherry-pick", "`git cherry-pick --continue`"};
    case GitOperationKind::revert:
      return {"revert", "`git revert --continue`"};
    case GitOperationKind::am:
      return {"am", "`git am --continue`"};
    case GitOperationKind::none:
      break;
  }
  return {"", "commit"};
}

std::filesystem::path replay_snapshot_file(const GitRepo& repo) {
  return repo.common_dir() / "migrate" / "replay-sqlite";
}

std::filesystem::path lint_replay_snapshot_file(const GitRepo& repo) {
  return repo.common_dir() / "migrate" / "replay-sqlite-lint";
}

std::unique_ptr<GitRepo> repository_mid_merge(Context& context) {
  std::unique_ptr<GitRepo> repo = discover_repository(context, context.config.migrations_dir);
  if (!repo || repo->workdir().empty()) {
    return nullptr;
  }
  if (repo->operation_under_way() == GitOperationKind::merge || repo->index()->has_conflicts()) {
    return repo;
  }
  return nullptr;
}

}  // namespace migrate
