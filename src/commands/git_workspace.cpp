#include "commands/git_workspace.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "git/git_runtime.hpp"
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

}  // namespace migrate
