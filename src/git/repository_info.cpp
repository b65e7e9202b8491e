#include "git/repository_info.hpp"

#include "git/git_repo.hpp"
#include "git/head_commit_cache.hpp"
#include "util/module.hpp"

namespace migrate {

std::string head_commit_id(const std::filesystem::path& path) {
  // Best effort, as the column it fills: a repository that cannot be opened records no commit.
  // Outside one, git is not even loaded: libgit2 and what it links (OpenSSL, Kerberos) were
  // half of a one-migration upgrade's time and memory (17 -> 8 ms, 14.8 -> 8.3 MiB here).
  // Inside one, git is not loaded either while the files HEAD is read from stay as they were.
  HeadCommitCache cache(path);
  if (!cache.in_repository()) {
    return {};
  }
  if (std::optional<std::string> remembered = cache.find()) {
    return *remembered;
  }
  try {
    std::unique_ptr<GitRepo> repo = GitRepo::discover(path);
    if (!repo) {
      return {};
    }
    std::optional<GitObjectId> head = repo->commit_of("HEAD");
    std::string id = head ? head->hex() : std::string();
    cache.store(*repo, id);
    return id;
  } catch (const GitError&) {
    return {};
  } catch (const ModuleError&) {  // git support not installed: no commit to record either
    return {};
  }
}

}  // namespace migrate
