#pragma once

#include <git2.h>

#include <memory>

namespace migrate {

/// Frees a libgit2 object with its own free function; one alias per handle type below, so each
/// C handle has exactly one owner.
template <auto Free>
struct GitDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Free(handle);
  }
};

using GitRepoHandle = std::unique_ptr<git_repository, GitDeleter<git_repository_free>>;
using GitConfig = std::unique_ptr<git_config, GitDeleter<git_config_free>>;
using GitConfigIterator =
    std::unique_ptr<git_config_iterator, GitDeleter<git_config_iterator_free>>;
using GitObject = std::unique_ptr<git_object, GitDeleter<git_object_free>>;
using GitTreeHandle = std::unique_ptr<git_tree, GitDeleter<git_tree_free>>;
using GitTreeEntry = std::unique_ptr<git_tree_entry, GitDeleter<git_tree_entry_free>>;
using GitBlob = std::unique_ptr<git_blob, GitDeleter<git_blob_free>>;
using GitCommit = std::unique_ptr<git_commit, GitDeleter<git_commit_free>>;
using GitIndexHandle = std::unique_ptr<git_index, GitDeleter<git_index_free>>;
using GitReference = std::unique_ptr<git_reference, GitDeleter<git_reference_free>>;
using GitReferenceIterator =
    std::unique_ptr<git_reference_iterator, GitDeleter<git_reference_iterator_free>>;
using GitRevwalk = std::unique_ptr<git_revwalk, GitDeleter<git_revwalk_free>>;
using GitDiff = std::unique_ptr<git_diff, GitDeleter<git_diff_free>>;
using GitPathspec = std::unique_ptr<git_pathspec, GitDeleter<git_pathspec_free>>;
using GitOdb = std::unique_ptr<git_odb, GitDeleter<git_odb_free>>;
using GitOdbObject = std::unique_ptr<git_odb_object, GitDeleter<git_odb_object_free>>;

/// Owns the memory of a git_buf that libgit2 filled (git_object_short_id, …).
struct GitBuf {
  git_buf buf = GIT_BUF_INIT;
  GitBuf() = default;
  GitBuf(const GitBuf&) = delete;
  GitBuf& operator=(const GitBuf&) = delete;
  ~GitBuf() { git_buf_dispose(&buf); }
};

}  // namespace migrate
