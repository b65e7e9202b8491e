#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/authorship.hpp"
#include "git/git_changes.hpp"
#include "git/git_object_id.hpp"
#include "git/hooks_folder.hpp"
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
  /// Its path inside the folder: the file name, or "sub/V2__x.sql" in a subfolder.
  std::string name;
  GitObjectId id;

  bool nested() const { return name.find('/') != std::string::npos; }
};

/// The git operation a work tree is in the middle of: stopped on a conflict, or waiting for the
/// user to commit (a merge). Other states (a bisect) are `none`.
enum class GitOperationKind { none, merge, rebase, cherry_pick, revert, am };

/// The tree of a revision, as GitRepo::tree_of found it: only the repository that made it
/// looks inside.
class GitTree {
 public:
  virtual ~GitTree() = default;
};

/// A repository's index (the staging area) as read from disk: read, staged in, and written
/// back. Paths are '/'-separated, relative to the work tree's root. Used while the GitRepo
/// that made it lives.
class GitIndex {
 public:
  virtual ~GitIndex() = default;

  /// True when `path` is in the index, not conflicted.
  virtual bool contains(const std::string& path) const = 0;
  /// True when a path has a merge conflict.
  virtual bool has_conflicts() const = 0;
  /// The paths with merge conflicts.
  virtual std::vector<std::string> conflicted_paths() const = 0;
  /// Removes the conflict entries of `path`; true when it had some (staging it then resolves
  /// the conflict).
  virtual bool drop_conflict(const std::string& path) = 0;
  /// Stages `path` as the work tree has it now (`git add`).
  virtual void stage(const std::string& path) = 0;
  /// Removes `path` (`git rm --cached`).
  virtual void unstage(const std::string& path) = 0;
  /// Writes the index to disk: what was staged in it becomes what git sees.
  virtual void write() = 0;
  /// The blobs inside `folder` and its subfolders (folder_in_tree's rules), sorted by name;
  /// stage 0 entries only (conflicted files are listed by conflicted_paths).
  virtual std::vector<GitFolderEntry> folder(std::string_view folder) const = 0;
  /// What is staged at `prefix` (GitRepo::write_index_files' rule: the file, or everything
  /// under the folder, hidden ones too; empty: everything), each named by its path from the
  /// root, in index order; conflicted paths are left out.
  virtual std::vector<GitFolderEntry> files_at(std::string_view prefix) const = 0;
};

/// A git repository, and what migrate needs of it: trees of revisions, references, the index,
/// the files of one folder in a tree, what a commit would change, who added each file, where
/// the hooks are. Implemented by the git backend (git_backend.hpp, libgit2 in git/libgit2/),
/// which nothing else names. An object is used from one thread at a time.
class GitRepo {
 public:
  /// The repository containing `path` (searching upwards, as git does); null outside one.
  static std::unique_ptr<GitRepo> discover(const std::filesystem::path& path);

  virtual ~GitRepo() = default;

  /// The same repository opened again: a thread that reads blobs in parallel needs its own.
  virtual std::unique_ptr<GitRepo> reopen() const = 0;

  /// The work tree's root (absolute, no trailing slash); empty for a bare repository.
  virtual std::filesystem::path workdir() const = 0;
  /// The repository's own folder that every work tree shares (".git" of the main one).
  virtual std::filesystem::path common_dir() const = 0;
  /// The files whose bytes decide what HEAD names, for a cache that checks them by their
  /// stamps: HEAD itself (first), the loose files of the references it leads through (where
  /// each would be: one not there counts), and packed-refs. Empty when HEAD leads to no
  /// reference that names an object (a branch before its first commit).
  virtual std::vector<std::filesystem::path> head_files() const = 0;
  /// `path` (absolute, inside the work tree) relative to the work tree's root, with '/'
  /// separators: the form paths take in trees and the index. Throws UsageError outside it.
  std::string relative_path(const std::filesystem::path& path) const;

  /// The tree of a revision ("HEAD", "origin/main", a commit id); null when it does not
  /// resolve (no commit yet, no such ref). Throws UsageError for an ambiguous name and
  /// GitError for a revision that exists but has no tree (a blob's id).
  virtual std::unique_ptr<GitTree> tree_of(const std::string& revision) const = 0;
  /// The commit id a revision names, nullopt when it does not resolve.
  virtual std::optional<GitObjectId> commit_of(const std::string& revision) const = 0;
  /// Whether the commit `revision` names is HEAD or one of its ancestors: what a merge or a
  /// rebase onto it brought in. False when either does not resolve.
  virtual bool head_contains(const std::string& revision) const = 0;
  /// The full name of the reference `name` means, resolved as git resolves a short name
  /// ("origin/main" -> "refs/remotes/origin/main"); nullopt when it names none.
  virtual std::optional<std::string> reference_name(const std::string& name) const = 0;
  /// The remote-tracking branches by full name ("refs/remotes/origin/main"), without the
  /// symbolic ones (origin/HEAD).
  virtual std::vector<std::string> remote_branches() const = 0;
  /// The operation under way in the work tree, from the repository's state.
  virtual GitOperationKind operation_under_way() const = 0;

  /// The repository's index, as on disk now (use_index_file's, once called).
  virtual std::unique_ptr<GitIndex> index() const = 0;
  /// Takes `file` as the index from here on, for this object and what reopen() makes: what
  /// git does when GIT_INDEX_FILE names one. `git commit -a`, `git commit <paths>` and
  /// `--include` stage the commit in such a file and run the pre-commit hook on it, while
  /// .git/index still holds what was staged before. Throws GitError when `file` is not a file
  /// (git would take a missing one for an empty index: every file deleted, for a gate).
  virtual void use_index_file(const std::filesystem::path& file) = 0;
  /// The blobs inside `folder` ('/'-separated, relative to the root; empty for the root) of a
  /// tree of this repository, sorted by name; empty when the tree lacks the folder. Those of its
  /// subfolders too (Flyway reads them), but of no hidden one (`.x/`), and none for the root.
  virtual std::vector<GitFolderEntry> folder_in_tree(const GitTree& tree,
                                                     std::string_view folder) const = 0;
  /// A blob's content. Read blobs first, then parse them in parallel.
  virtual std::string read_blob(const GitObjectId& id) const = 0;
  /// Writes what `index` stages at `prefix` ('/'-separated, relative to the root: a file, or a
  /// folder and everything under it; empty: every file) into `folder`, each file at its path
  /// from the root there, as `git checkout-index --prefix=FOLDER/` would: the blobs' bytes as
  /// staged (no filter), executables executable, symbolic links as links, a submodule as an
  /// empty folder. Conflicted paths are left out. `folder` must exist and hold none of them.
  /// Returns the paths written, in index order; none when nothing is staged there. Throws
  /// GitError for a path git would not check out (`..`), IoError when a file cannot be written.
  virtual std::vector<std::string> write_index_files(const GitIndex& index, std::string_view prefix,
                                                     const std::filesystem::path& folder) const = 0;

  /// What `index` changes against HEAD's tree (`head` may be null before the first commit)
  /// under `pathspec` (git pathspec patterns; one per call is fastest: only the folders under
  /// the pattern's literal prefix are walked): what `git commit` would record there. Renames
  /// are detected as git does (similar content).
  virtual std::vector<PathChange> staged_changes(const GitTree* head, const GitIndex& index,
                                                 const std::string& pathspec) const = 0;
  /// What the work tree changes against HEAD's tree under `pathspec`, untracked files
  /// included: what `git add -A && git commit` would record there.
  virtual std::vector<PathChange> work_tree_changes(const GitTree* head,
                                                    const std::string& pathspec) const = 0;

  /// For each file directly inside `folder` ('/'-separated, relative to the work tree's root;
  /// empty for the root) in HEAD's tree, the commit that added it, found in one walk of the
  /// history reachable from HEAD (every parent, not only the first).
  ///
  /// A commit adds a name when the name is in its folder and in none of its parents' (a root
  /// commit adds everything it has). So a merge adds nothing that one of its sides had: a file
  /// added on a side branch is reported with the side branch's commit. When a name was added
  /// more than once (deleted, then added again; or renamed away and back), the newest
  /// addition is reported: the commit that started the life of the file that exists now. A
  /// rename is a new name: a migration renumbered by migrate-renumber reports the commit that
  /// renamed it. In a shallow clone the oldest commits there add everything they hold, as
  /// `git log` shows them.
  ///
  /// Names not in HEAD (not committed yet), a repository without commits and a folder that
  /// HEAD does not have give no entry. Throws GitError when the repository cannot be read.
  virtual FileAuthorships commits_adding_files(std::string_view folder) const = 0;

  /// The hooks folder git uses: core.hooksPath when it is set (a relative value starts at the
  /// work tree's root, or at the git folder of a bare repository, as git has it; `~/` is the
  /// home folder), else `hooks` in the common git folder, which every worktree of the
  /// repository shares. Throws GitError when the configuration cannot be read.
  virtual HooksFolder hooks_folder() const = 0;
};

}  // namespace migrate
