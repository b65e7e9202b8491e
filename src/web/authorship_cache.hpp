#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "git/authorship.hpp"

namespace migrate {

class GitRepo;

/// The commits that added a folder's files (git/authorship.hpp), kept while HEAD stays the same
/// commit: the answer depends on HEAD's history and nothing else, so a page request walks the
/// history only after a commit, a checkout or a rebase (the walk is most of a request's time on
/// a long history). Thread-safe; one per server, not global.
class AuthorshipCache {
 public:
  /// repo.commits_adding_files(folder), from the cache when HEAD has not moved.
  std::shared_ptr<const FileAuthorships> get(const GitRepo& repo, const std::string& folder);

 private:
  std::mutex m_mutex;
  std::string m_key;  ///< work tree, folder and HEAD's commit id of m_files
  std::shared_ptr<const FileAuthorships> m_files;
};

}  // namespace migrate
