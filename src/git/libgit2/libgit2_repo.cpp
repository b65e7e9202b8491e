#include "git/libgit2/libgit2_repo.hpp"

#include <algorithm>

#include <git2/sys/repository.h>

#include <fmt/format.h>

#include "git/libgit2/libgit2_authorship.hpp"
#include "git/libgit2/libgit2_changes.hpp"
#include "git/libgit2/libgit2_error.hpp"
#include "git/libgit2/libgit2_hooks_folder.hpp"
#include "git/libgit2/libgit2_index.hpp"
#include "git/libgit2/libgit2_index_files.hpp"
#include "git/libgit2/libgit2_oid.hpp"
#include "git/libgit2/libgit2_tree.hpp"
#include "util/error.hpp"

namespace migrate {

std::unique_ptr<GitRepo> Libgit2Repo::discover(const std::filesystem::path& path) {
  git_repository* raw = nullptr;
  int status = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  if (status == GIT_ENOTFOUND) {
    return nullptr;
  }
  check_git(status, fmt::format("opening the repository at {}", path.string()));
  return std::make_unique<Libgit2Repo>(GitRepoHandle(raw));
}

std::unique_ptr<GitRepo> Libgit2Repo::reopen() const {
  git_repository* raw = nullptr;
  check_git(git_repository_open(&raw, git_repository_path(get())), "opening the repository");
  auto reopened = std::make_unique<Libgit2Repo>(GitRepoHandle(raw));
  if (!m_index_file.empty()) {
    reopened->use_index_file(m_index_file);
  }
  return reopened;
}

std::filesystem::path Libgit2Repo::workdir() const {
  const char* workdir = git_repository_workdir(get());
  if (workdir == nullptr) {
    return {};
  }
  return std::filesystem::path(workdir).lexically_normal().parent_path();  // drop the final '/'
}

std::filesystem::path Libgit2Repo::common_dir() const {
  return std::filesystem::path(git_repository_commondir(get())).lexically_normal();
}

std::vector<std::filesystem::path> Libgit2Repo::head_files() const {
  // A work tree's HEAD and its own references are in its git folder; branches and packed-refs
  // in the shared one. Both places are listed for a reference: git looks in one of them.
  std::filesystem::path own = std::filesystem::path(git_repository_path(get())).lexically_normal();
  std::filesystem::path shared = common_dir();
  std::vector<std::filesystem::path> files = {own / "HEAD", shared / "packed-refs"};
  std::string name = "HEAD";
  // libgit2 follows at most 5 symbolic references (GIT_REFS_MAX_NESTED_SYMLINKS); so do we.
  for (int depth = 0; depth <= 5; ++depth) {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, get(), name.c_str()) != 0) {
      return {};  // not there: a branch before its first commit names none
    }
    GitReference reference(raw);
    if (git_reference_type(reference.get()) != GIT_REFERENCE_SYMBOLIC) {
      return files;  // a commit's id (or a tag's), at the end of the chain
    }
    name = git_reference_symbolic_target(reference.get());
    files.push_back(own / name);
    if (shared != own) {
      files.push_back(shared / name);
    }
  }
  return {};
}

std::optional<GitObjectId> Libgit2Repo::commit_of(const std::string& revision) const {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, get(), (revision + "^{commit}").c_str()) != 0) {
    return std::nullopt;
  }
  GitObject object(raw);
  return to_object_id(*git_object_id(object.get()));
}

bool Libgit2Repo::head_contains(const std::string& revision) const {
  std::optional<GitObjectId> commit = commit_of(revision);
  std::optional<GitObjectId> head = commit_of("HEAD");
  if (!commit || !head) {
    return false;
  }
  if (*commit == *head) {
    return true;
  }
  git_oid descendant = to_git_oid(*head);
  git_oid ancestor = to_git_oid(*commit);
  return git_graph_descendant_of(get(), &descendant, &ancestor) == 1;
}

std::unique_ptr<GitTree> Libgit2Repo::tree_of(const std::string& revision) const {
  git_object* raw = nullptr;
  int status = git_revparse_single(&raw, get(), revision.c_str());
  if (status == GIT_ENOTFOUND || status == GIT_EINVALIDSPEC || status == GIT_EUNBORNBRANCH) {
    return nullptr;
  }
  if (status == GIT_EAMBIGUOUS) {
    throw UsageError(
        fmt::format("{} is ambiguous in this repository (several refs or objects "
                    "match): name it in full, e.g. refs/remotes/{}",
                    revision, revision));
  }
  check_git(status, fmt::format("resolving {}", revision));
  GitObject object(raw);
  git_object* tree = nullptr;
  check_git(git_object_peel(&tree, object.get(), GIT_OBJECT_TREE),
            fmt::format("reading the tree of {}", revision));
  return std::make_unique<Libgit2Tree>(GitTreeHandle(reinterpret_cast<git_tree*>(tree)));
}

std::optional<std::string> Libgit2Repo::reference_name(const std::string& name) const {
  git_reference* raw = nullptr;
  if (git_reference_dwim(&raw, get(), name.c_str()) != 0) {
    return std::nullopt;
  }
  GitReference reference(raw);
  return git_reference_name(reference.get());
}

std::vector<std::string> Libgit2Repo::remote_branches() const {
  git_reference_iterator* iterator_raw = nullptr;
  check_git(git_reference_iterator_glob_new(&iterator_raw, get(), "refs/remotes/*"),
            "listing remote-tracking branches");
  GitReferenceIterator iterator(iterator_raw);
  std::vector<std::string> names;
  git_reference* raw = nullptr;
  while (git_reference_next(&raw, iterator.get()) == 0) {
    GitReference reference(raw);
    if (git_reference_type(reference.get()) == GIT_REFERENCE_DIRECT) {
      names.emplace_back(git_reference_name(reference.get()));
    }
  }
  return names;
}

GitOperationKind Libgit2Repo::operation_under_way() const {
  switch (git_repository_state(get())) {
    case GIT_REPOSITORY_STATE_MERGE:
      return GitOperationKind::merge;
    case GIT_REPOSITORY_STATE_REBASE:
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
    case GIT_REPOSITORY_STATE_REBASE_MERGE:
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
      return GitOperationKind::rebase;
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
      return GitOperationKind::cherry_pick;
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
      return GitOperationKind::revert;
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
      return GitOperationKind::am;
    default:
      return GitOperationKind::none;
  }
}

std::filesystem::path Libgit2Repo::index_file() const {
  return m_index_file.empty() ? std::filesystem::path(git_repository_path(get())) / "index"
                              : m_index_file;
}

void Libgit2Repo::throw_unreadable_index() const {
  std::string reason(last_git_error());
  std::string file = index_file().string();
  std::string named = m_index_file.empty() ? "" : " (named by GIT_INDEX_FILE)";
  // git features whose index extensions libgit2 1.5 refuses to read: what turns each off.
  struct Unread {
    const char* extension;
    const char* feature;
    const char* turn_off;
  };
  constexpr Unread kUnread[] = {
      {"'link'", "a split index (core.splitIndex)",
       "`git config core.splitIndex false` and `git update-index --no-split-index`"},
      {"'sdir'", "a sparse index (index.sparse)",
       "`git sparse-checkout init --no-sparse-index` (the sparse checkout stays as it is)"},
  };
  for (const Unread& unread : kUnread) {
    if (reason.find(unread.extension) != std::string::npos) {
      throw GitError(fmt::format(
          "cannot read the index {}{}: it is {}, which libgit2, the library migrate reads git "
          "with, does not read. Turn it off with {}",
          file, named, unread.feature, unread.turn_off));
    }
  }
  throw GitError(fmt::format("cannot read the index {}{}: {}", file, named, reason));
}

std::unique_ptr<GitIndex> Libgit2Repo::index() const {
  if (!m_index_file.empty() && !m_index_file_opened) {
    // The repository takes a reference of its own: git_repository_index gives this one, owned
    // by the repository as its own would be (staging a file needs that).
    git_index* raw = nullptr;
    if (git_index_open(&raw, m_index_file.c_str()) < 0) {
      throw_unreadable_index();
    }
    GitIndexHandle named(raw);
    check_git(git_repository_set_index(get(), named.get()), "reading the index (GIT_INDEX_FILE)");
    m_index_file_opened = true;
  }
  git_index* raw = nullptr;
  if (git_repository_index(&raw, get()) < 0) {
    throw_unreadable_index();
  }
  GitIndexHandle index(raw);
  if (git_index_read(index.get(), 0) < 0) {
    throw_unreadable_index();
  }
  return std::make_unique<Libgit2Index>(std::move(index));
}

void Libgit2Repo::use_index_file(const std::filesystem::path& file) {
  // Only named here: a command that reads no index (lint's and verify's work-tree reading, a
  // blob reader's reopen()) never opens it.
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw GitError(fmt::format(
        "GIT_INDEX_FILE names {} as the index to read, and {}: set it to an index file, or "
        "unset it (git sets it for its hooks, to the index a commit is made of)",
        file.string(),
        std::filesystem::exists(file, error) ? "it is not a file" : "there is no such file"));
  }
  m_index_file = file;
  m_index_file_opened = false;
}

std::vector<GitFolderEntry> Libgit2Repo::folder_in_tree(const GitTree& tree,
                                                        std::string_view folder) const {
  GitTreeHandle owned;  // the subtree, when the folder is not the root
  const git_tree* subtree = raw_tree(&tree);
  if (!folder.empty()) {
    git_tree_entry* raw = nullptr;
    if (git_tree_entry_bypath(&raw, subtree, std::string(folder).c_str()) != 0) {
      return {};
    }
    GitTreeEntry entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
      return {};
    }
    git_tree* lookup = nullptr;
    check_git(git_tree_lookup(&lookup, get(), git_tree_entry_id(entry.get())),
              fmt::format("reading the folder {}", folder));
    owned.reset(lookup);
    subtree = lookup;
  }
  std::vector<GitFolderEntry> entries;
  list_blobs(subtree, "", !folder.empty(), entries);
  std::sort(entries.begin(), entries.end(),
            [](const GitFolderEntry& a, const GitFolderEntry& b) { return a.name < b.name; });
  return entries;
}

void Libgit2Repo::list_blobs(const git_tree* tree, const std::string& prefix, bool recurse,
                             std::vector<GitFolderEntry>& entries) const {
  std::size_t count = git_tree_entrycount(tree);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    std::string name = prefix + git_tree_entry_name(entry);
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
      entries.push_back({std::move(name), to_object_id(*git_tree_entry_id(entry))});
    } else if (recurse && git_tree_entry_type(entry) == GIT_OBJECT_TREE &&
               git_tree_entry_name(entry)[0] != '.') {
      git_tree* lookup = nullptr;
      check_git(git_tree_lookup(&lookup, get(), git_tree_entry_id(entry)),
                fmt::format("reading the folder {}", name));
      GitTreeHandle owned(lookup);
      list_blobs(lookup, name + "/", recurse, entries);
    }
  }
}

std::string Libgit2Repo::read_blob(const GitObjectId& id) const {
  git_oid oid = to_git_oid(id);
  git_blob* raw = nullptr;
  check_git(git_blob_lookup(&raw, get(), &oid), fmt::format("reading blob {}", id.hex()));
  GitBlob blob(raw);
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

std::vector<std::string> Libgit2Repo::write_index_files(const GitIndex& index,
                                                        std::string_view prefix,
                                                        const std::filesystem::path& folder) const {
  return migrate::write_index_files(get(), raw_index(index), prefix, folder);
}

std::vector<PathChange> Libgit2Repo::staged_changes(const GitTree* head, const GitIndex& index,
                                                    const std::string& pathspec) const {
  return index_changes(get(), raw_tree(head), raw_index(index), pathspec);
}

std::vector<PathChange> Libgit2Repo::work_tree_changes(const GitTree* head,
                                                       const std::string& pathspec) const {
  return workdir_changes(get(), raw_tree(head), pathspec);
}

FileAuthorships Libgit2Repo::commits_adding_files(std::string_view folder) const {
  return walk_authorship(*this, folder);
}

HooksFolder Libgit2Repo::hooks_folder() const {
  return find_hooks_folder(*this);
}

}  // namespace migrate
