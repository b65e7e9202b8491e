#pragma once

#include <string>

namespace migrate {

/// One path a commit would change, relative to the work tree's root (GitRepo::staged_changes
/// and work_tree_changes).
struct PathChange {
  enum class Kind { added, modified, deleted, renamed };
  Kind kind = Kind::modified;
  std::string path;      ///< the new path (the old one for a deletion)
  std::string old_path;  ///< the path before (equal to `path` unless renamed)
};

/// "added", "modified", "deleted", "renamed".
const char* change_kind_name(PathChange::Kind kind);

}  // namespace migrate
