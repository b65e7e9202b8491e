#pragma once

#include <string>
#include <vector>

#include "git/git_repo.hpp"

namespace migrate {

/// One path a commit would change, relative to the work tree's root.
struct PathChange {
  enum class Kind { added, modified, deleted, renamed };
  Kind kind = Kind::modified;
  std::string path;      ///< the new path (the old one for a deletion)
  std::string old_path;  ///< the path before (equal to `path` unless renamed)
};

/// "added", "modified", "deleted", "renamed".
const char* change_kind_name(PathChange::Kind kind);

/// What the index changes against HEAD's tree (`head` may be null before the first commit)
/// under `pathspec` (git pathspec patterns; one per call is fastest: libgit2 then walks only
/// the folders under the pattern's literal prefix): what `git commit` would record there.
/// Renames are detected as git does (similar content).
std::vector<PathChange> staged_changes(const GitRepo& repo, const git_tree* head,
                                       const GitIndex& index, const std::string& pathspec);

/// What the work tree changes against HEAD's tree under `pathspec`, untracked files included:
/// what `git add -A && git commit` would record there.
std::vector<PathChange> work_tree_changes(const GitRepo& repo, const git_tree* head,
                                          const std::string& pathspec);

/// Git pathspec patterns (`app/models/**`, `*.py`), matched as git matches them.
class PathPatterns {
 public:
  explicit PathPatterns(const std::vector<std::string>& patterns);
  bool empty() const { return !m_pathspec; }
  bool matches(const std::string& path) const;

 private:
  GitPathspec m_pathspec;
};

}  // namespace migrate
