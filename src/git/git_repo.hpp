#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/git_handle.hpp"
#include "util/error.hpp"

namespace migrate {

/// A git repository could not be read or written: a libgit2 call failed, or an object is
/// malformed. A revision or path the user gave that the repository cannot take is a
/// UsageError.
class GitError : public Error {
 public:
  explicit GitError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// A blob in a folder of a tree or of the index: its name in the folder and its object id.
struct GitFolderEntry {
  std::string name;  ///< the file name, without the folder
  git_oid oid;
};

/// The git operation a work tree is in the middle of: stopped on a conflict, or waiting for the
/// user to commit (a merge). Other states (a bisect) are `none`.
enum class GitOperationKind { none, merge, rebase, cherry_pick, revert, am };

/// A git repository opened with libgit2, and what migrate needs of it: trees of revisions,
/// references, the index (read, staged and written), and the files of one folder in a tree or
/// the index. Every handle it returns has its RAII owner (git_handle.hpp); no libgit2 call is
/// made outside src/git. Callers hold a started libgit2 (GitRuntime::require).
class GitRepo {
 public:
  /// The repository containing `path` (searching upwards, as git does); nullopt outside one.
  static std::optional<GitRepo> discover(const std::filesystem::path& path);

  /// The same repository opened again: libgit2 objects are used from one thread at a time,
  /// so a thread that reads blobs in parallel needs its own.
  GitRepo reopen() const;

  git_repository* get() const { return m_repository.get(); }
  /// The work tree's root (absolute, no trailing slash); empty for a bare repository.
  std::filesystem::path workdir() const;
  /// The repository's own folder that every work tree shares (".git" of the main one).
  std::filesystem::path common_dir() const;
  /// `path` (absolute, inside the work tree) relative to the work tree's root, with '/'
  /// separators: the form paths take in trees and the index. Throws UsageError outside it.
  std::string relative_path(const std::filesystem::path& path) const;

  /// The tree of a revision ("HEAD", "origin/main", a commit id); nullopt when it does not
  /// resolve (no commit yet, no such ref). Throws UsageError for an ambiguous name and
  /// GitError for a revision that exists but has no tree (a blob's id).
  std::optional<GitTree> tree_of(const std::string& revision) const;
  /// The commit id a revision names, nullopt when it does not resolve.
  std::optional<git_oid> commit_of(const std::string& revision) const;
  /// The full name of the reference `name` means, resolved as git resolves a short name
  /// ("origin/main" -> "refs/remotes/origin/main"); nullopt when it names none.
  std::optional<std::string> reference_name(const std::string& name) const;
  /// The remote-tracking branches by full name ("refs/remotes/origin/main"), without the
  /// symbolic ones (origin/HEAD).
  std::vector<std::string> remote_branches() const;
  /// The operation under way in the work tree, from libgit2's repository state.
  GitOperationKind operation_under_way() const;

  /// The repository's index, as on disk now.
  GitIndex index() const;
  /// True when `path` ('/'-separated, relative to the root) is in `index`, not conflicted.
  bool in_index(const GitIndex& index, const std::string& path) const;
  /// True when a path of `index` has a merge conflict.
  bool has_conflicts(const GitIndex& index) const;
  /// Removes the conflict entries of `path` from `index`; true when it had some (staging it
  /// then resolves the conflict).
  bool drop_conflict(GitIndex& index, const std::string& path) const;
  /// Stages `path` in `index` as the work tree has it now (`git add`).
  void stage(GitIndex& index, const std::string& path) const;
  /// Removes `path` from `index` (`git rm --cached`).
  void unstage(GitIndex& index, const std::string& path) const;
  /// Writes `index` to disk: what was staged in it becomes what git sees.
  void write_index(GitIndex& index) const;

  /// The blobs directly inside `folder` ('/'-separated, relative to the root) of a tree,
  /// sorted by name; empty when the folder is not in the tree.
  std::vector<GitFolderEntry> folder_in_tree(const git_tree* tree, std::string_view folder) const;
  /// The same for the index (stage 0 entries only: conflicted files are listed by
  /// conflicted_paths).
  std::vector<GitFolderEntry> folder_in_index(const GitIndex& index, std::string_view folder) const;
  /// Paths with merge conflicts in the index.
  std::vector<std::string> conflicted_paths(const GitIndex& index) const;
  /// A blob's content. Like every libgit2 object, the repository is used from one thread at a
  /// time: read blobs first, then parse them in parallel.
  std::string read_blob(const git_oid& oid) const;

 private:
  explicit GitRepo(GitRepoHandle repository) : m_repository(std::move(repository)) {}
  GitRepoHandle m_repository;
};

/// The 40-hex-digit form of an object id.
std::string oid_hex(const git_oid& oid);

/// Throws GitError with libgit2's last message when `status` is an error; `what` says
/// what was being done ("reading the index").
void check_git(int status, std::string_view what);

}  // namespace migrate
