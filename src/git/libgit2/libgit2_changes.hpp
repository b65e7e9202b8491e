#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "git/git_changes.hpp"

namespace migrate {

/// What `index` changes against `head` (null before the first commit) under `pathspec`
/// (GitRepo::staged_changes).
std::vector<PathChange> index_changes(git_repository* repo, const git_tree* head, git_index* index,
                                      const std::string& pathspec);

/// What the work tree changes against `head` under `pathspec`, untracked files included
/// (GitRepo::work_tree_changes).
std::vector<PathChange> workdir_changes(git_repository* repo, const git_tree* head,
                                        const std::string& pathspec);

}  // namespace migrate
