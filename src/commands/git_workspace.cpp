#include "commands/git_workspace.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "git/git_runtime.hpp"
#include "migration/migration_dir.hpp"
#include "util/error.hpp"

namespace migrate {

GitRepo open_repository(Context& context, std::string_view command) {
  context.git.require();
  std::optional<GitRepo> repo = GitRepo::discover(context.cwd);
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
  return std::move(*repo);
}

std::string migrations_folder(const GitRepo& repo, const Context& context) {
  return repo.relative_path(context.config.migrations_dir);
}

void stage_head_file(const GitRepo& repo, const Context& context, GitIndex& index) {
  std::filesystem::path dir = std::filesystem::absolute(context.config.migrations_dir);
  std::string path = repo.relative_path(head_file_path(dir));
  bool conflicted = repo.drop_conflict(index, path);
  if (conflicted || repo.in_index(index, path)) {
    repo.stage(index, path);
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

std::optional<GitRepo> repository_mid_merge(Context& context) {
  context.git.require();
  std::optional<GitRepo> repo = GitRepo::discover(context.config.migrations_dir);
  if (!repo || repo->workdir().empty()) {
    return std::nullopt;
  }
  GitIndex index = repo->index();
  if (repo->operation_under_way() == GitOperationKind::merge || repo->has_conflicts(index)) {
    return repo;
  }
  return std::nullopt;
}

}  // namespace migrate
