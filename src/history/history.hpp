#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "git/authorship.hpp"
#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "target/target_read.hpp"

namespace migrate {

/// Who added the files of the migrations folder, as git told it (git/authorship.hpp).
struct FolderAuthorship {
  std::shared_ptr<const FileAuthorships> files;  ///< null outside git, or when git failed
  std::string error;                             ///< why git could not say; empty otherwise
};

/// Every migration of the graph, who added its file and its state in each target read: what
/// migrate-history shows for the tool's database and migrate-web for every configured one.
/// Built by assemble_history; copies and moves keep `added_by` valid (it points into the
/// shared `authorship.files`).
struct History {
  RevisionGraph graph;
  std::vector<TargetRead> targets;  ///< the tool's own first
  FolderAuthorship authorship;
  std::vector<const FileAuthorship*> added_by;  ///< per migration; null: not committed, no git
  std::vector<bool> head;                       ///< per migration: one of the graph's heads

  /// Whether the folder is in a git work tree whose history could be read: only then does
  /// "not committed yet" (a null `added_by`) mean anything.
  bool in_git() const { return authorship.files != nullptr; }
  /// The tool's own target's status (the first target's). Throws DbError with the reason it
  /// could not be read, or when there is no target: what history and --json show needs it.
  const DatabaseStatus& first_status() const;
};

/// The history of `graph`: each migration's file matched by name with the commit that added it
/// in `authorship`, its head flag, and the targets' states as read. Pure: no I/O.
History assemble_history(RevisionGraph graph, std::vector<TargetRead> targets,
                         FolderAuthorship authorship);

}  // namespace migrate
