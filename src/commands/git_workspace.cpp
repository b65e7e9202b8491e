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

bool tracked(git_index* index, const std::string& path) {
  return git_index_get_bypath(index, path.c_str(), 0) != nullptr;
}

void stage_head_file(const GitRepo& repo, const Context& context, git_index* index) {
  std::filesystem::path dir = std::filesystem::absolute(context.config.migrations_dir);
  std::string path = repo.relative_path(head_file_path(dir));
  const git_index_entry* ancestor = nullptr;
  const git_index_entry* ours = nullptr;
  const git_index_entry* theirs = nullptr;
  bool conflicted = git_index_conflict_get(&ancestor, &ours, &theirs, index, path.c_str()) == 0;
  if (conflicted) {
    git_index_conflict_remove(index, path.c_str());
  }
  if (conflicted || tracked(index, path)) {
    check_git(git_index_add_bypath(index, path.c_str()), fmt::format("staging {}", path));
  }
}

GitOperation operation_under_way(const GitRepo& repo) {
  switch (git_repository_state(repo.get())) {
    case GIT_REPOSITORY_STATE_MERGE:
      return {"merge", "commit"};
    case GIT_REPOSITORY_STATE_REBASE:
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
    case GIT_REPOSITORY_STATE_REBASE_MERGE:
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
      return {"rebase", "`git rebase --continue`"};
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
      return {"cherry-pick", "`git cherry-pick --continue`"};
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
      return {"revert", "`git revert --continue`"};
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
      return {"am", "`git am --continue`"};
    default:
      return {"", "commit"};
  }
}

std::optional<GitRepo> repository_mid_merge(Context& context) {
  context.git.require();
  std::optional<GitRepo> repo = GitRepo::discover(context.config.migrations_dir);
  if (!repo || repo->workdir().empty()) {
    return std::nullopt;
  }
  GitIndex index = repo->index();
  if (git_repository_state(repo->get()) == GIT_REPOSITORY_STATE_MERGE ||
      git_index_has_conflicts(index.get()) != 0) {
    return repo;
  }
  return std::nullopt;
}

}  // namespace migrate
