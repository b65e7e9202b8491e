#include "git/libgit2/libgit2_changes.hpp"

#include "git/libgit2/git_handle.hpp"
#include "git/libgit2/libgit2_error.hpp"

namespace migrate {

namespace {

PathChange::Kind kind_of(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
    case GIT_DELTA_COPIED:
      return PathChange::Kind::added;
    case GIT_DELTA_DELETED:
      return PathChange::Kind::deleted;
    case GIT_DELTA_RENAMED:
      return PathChange::Kind::renamed;
    default:
      return PathChange::Kind::modified;
  }
}

/// The diff's deltas, after git's rename detection (which pairs a deletion with an addition
/// of similar content, as `git status` shows a `git mv`).
std::vector<PathChange> deltas(GitDiff diff) {
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
  check_git(git_diff_find_similar(diff.get(), &find), "detecting renames");
  std::vector<PathChange> changes;
  std::size_t count = git_diff_num_deltas(diff.get());
  changes.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    if (delta->status == GIT_DELTA_IGNORED || delta->status == GIT_DELTA_UNMODIFIED) {
      continue;
    }
    PathChange::Kind kind = kind_of(delta->status);
    const char* path =
        kind == PathChange::Kind::deleted ? delta->old_file.path : delta->new_file.path;
    changes.push_back({kind, path, delta->old_file.path});
  }
  return changes;
}

/// Diff options limited to one pathspec pattern (`pattern` must outlive them).
git_diff_options limited_to(const std::string& pattern, char*& storage) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  storage = const_cast<char*>(pattern.c_str());  // libgit2 only reads it
  options.pathspec = {&storage, 1};
  return options;
}

}  // namespace

std::vector<PathChange> index_changes(git_repository* repo, const git_tree* head, git_index* index,
                                      const std::string& pathspec) {
  char* storage = nullptr;
  git_diff_options options = limited_to(pathspec, storage);
  // Unchanged files are told apart by their ids in the tree and the index: no blob is read.
  options.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  git_diff* raw = nullptr;
  check_git(git_diff_tree_to_index(&raw, repo, const_cast<git_tree*>(head), index, &options),
            "comparing the index with HEAD");
  return deltas(GitDiff(raw));
}

std::vector<PathChange> workdir_changes(git_repository* repo, const git_tree* head,
                                        const std::string& pathspec) {
  char* storage = nullptr;
  git_diff_options options = limited_to(pathspec, storage);
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  // Through the index's stat cache: files unchanged since they were staged are not read.
  git_diff* raw = nullptr;
  check_git(git_diff_tree_to_workdir_with_index(&raw, repo, const_cast<git_tree*>(head), &options),
            "comparing the work tree with HEAD");
  return deltas(GitDiff(raw));
}

}  // namespace migrate
