#include "web/authorship_cache.hpp"

#include "git/git_repo.hpp"
#include "git/repository_info.hpp"

namespace migrate {

std::shared_ptr<const FileAuthorships> AuthorshipCache::get(const GitRepo& repo,
                                                            const std::string& folder) {
  std::string head = head_commit_id(repo.workdir());
  std::string key = repo.workdir().string() + '\n' + folder + '\n' + head;
  {
    std::lock_guard lock(m_mutex);
    if (!head.empty() && key == m_key) {
      return m_files;
    }
  }
  // Walked outside the lock: concurrent requests after a new commit each walk once, and none
  // waits for another.
  auto files = std::make_shared<const FileAuthorships>(repo.commits_adding_files(folder));
  std::lock_guard lock(m_mutex);
  m_key = key;
  m_files = files;
  return files;
}

}  // namespace migrate
