#include "git/repository_info.hpp"

#include "git/git_dir.hpp"
#include "git/git_repo.hpp"
#include "util/module.hpp"

namespace migrate {

std::string head_commit_id(const std::filesystem::path& path) {
  // Best effort, as the column it fills: a repository that cannot be opened records no commit.
  // Outside one, git is not even loaded: libgit2 and what it links (OpenSSL, Kerberos) would
  // cost an upgrade 5 MiB of memory and 5 ms to say so.
  if (!find_git_dir(path)) {
    return {};
  }
  try {
    std::unique_ptr<GitRepo> repo = GitRepo::discover(path);
    std::optional<GitObjectId> head = repo ? repo->commit_of("HEAD") : std::nullopt;
    return head ? head->hex() : std::string();
  } catch (const GitError&) {
    return {};
  } catch (const ModuleError&) {  // git support not installed: no commit to record either
    return {};
  }
}

}  // namespace migrate
