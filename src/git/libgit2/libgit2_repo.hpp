#pragma once

#include <filesystem>
#include <memory>

#include "git/git_repo.hpp"
#include "git/libgit2/git_handle.hpp"

namespace migrate {

/// A GitRepo opened with libgit2. Every handle it makes has its RAII owner (git_handle.hpp).
class Libgit2Repo : public GitRepo {
 public:
  explicit Libgit2Repo(GitRepoHandle repository) : m_repository(std::move(repository)) {}

  /// The repository containing `path` (searching upwards, as git does); null outside one.
  static std::unique_ptr<GitRepo> discover(const std::filesystem::path& path);

  git_repository* get() const { return m_repository.get(); }

  std::unique_ptr<GitRepo> reopen() const override;
  std::filesystem::path workdir() const override;
  std::filesystem::path common_dir() const override;
  std::vector<std::filesystem::path> head_files() const override;
  std::unique_ptr<GitTree> tree_of(const std::string& revision) const override;
  std::optional<GitObjectId> commit_of(const std::string& revision) const override;
  bool head_contains(const std::string& revision) const override;
  std::optional<std::string> reference_name(const std::string& name) const override;
  std::vector<std::string> remote_branches() const override;
  GitOperationKind operation_under_way() const override;
  std::unique_ptr<GitIndex> index() const override;
  void use_index_file(const std::filesystem::path& file) override;
  std::vector<GitFolderEntry> folder_in_tree(const GitTree& tree,
                                             std::string_view folder) const override;
  std::string read_blob(const GitObjectId& id) const override;
  std::vector<std::string> write_index_files(const GitIndex& index, std::string_view prefix,
                                             const std::filesystem::path& folder) const override;
  std::vector<PathChange> staged_changes(const GitTree* head, const GitIndex& index,
                                         const std::string& pathspec) const override;
  std::vector<PathChange> work_tree_changes(const GitTree* head,
                                            const std::string& pathspec) const override;
  FileAuthorships commits_adding_files(std::string_view folder) const override;
  HooksFolder hooks_folder() const override;

 private:
  /// Appends the blobs of `tree` to `entries`, named `prefix` + their name; with `recurse`,
  /// those of its subtrees too, but of no hidden one.
  void list_blobs(const git_tree* tree, const std::string& prefix, bool recurse,
                  std::vector<GitFolderEntry>& entries) const;

  /// The index file index() reads: use_index_file's, else the repository's own.
  std::filesystem::path index_file() const;
  /// Throws GitError for an index libgit2 could not read (its last error): which file, and
  /// what turns off the git feature libgit2 cannot read when that is the reason.
  [[noreturn]] void throw_unreadable_index() const;

  GitRepoHandle m_repository;
  std::filesystem::path m_index_file;        // use_index_file's; empty: the repository's own
  mutable bool m_index_file_opened = false;  // set as the repository's, at the first index()
};

}  // namespace migrate
