#include "git/git_repo.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

void check_git(int status, std::string_view what) {
  if (status < 0) {
    throw GitError(fmt::format("git: {}: {}", what, last_git_error()));
  }
}

std::optional<GitRepo> GitRepo::discover(const std::filesystem::path& path) {
  git_repository* raw = nullptr;
  int status = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  if (status == GIT_ENOTFOUND) {
    return std::nullopt;
  }
  check_git(status, fmt::format("opening the repository at {}", path.string()));
  return GitRepo(GitRepoHandle(raw));
}

GitRepo GitRepo::reopen() const {
  git_repository* raw = nullptr;
  check_git(git_repository_open(&raw, git_repository_path(get())), "opening the repository");
  return GitRepo(GitRepoHandle(raw));
}

std::filesystem::path GitRepo::workdir() const {
  const char* workdir = git_repository_workdir(get());
  if (workdir == nullptr) {
    return {};
  }
  return std::filesystem::path(workdir).lexically_normal().parent_path();  // drop the final '/'
}

std::filesystem::path GitRepo::common_dir() const {
  return std::filesystem::path(git_repository_commondir(get())).lexically_normal();
}

std::string GitRepo::relative_path(const std::filesystem::path& path) const {
  std::filesystem::path root = workdir();
  // Both sides resolved, so a symlinked temp folder or "./x" compares equal.
  std::error_code error;
  std::filesystem::path canonical_root = std::filesystem::weakly_canonical(root, error);
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  std::filesystem::path relative = canonical.lexically_relative(canonical_root);
  if (root.empty() || relative.empty() || *relative.begin() == "..") {
    throw UsageError(fmt::format("{} is outside the git work tree {}", path.string(),
                                 root.empty() ? "(a bare repository)" : root.string()));
  }
  return relative == "." ? std::string() : relative.generic_string();
}

std::optional<git_oid> GitRepo::commit_of(const std::string& revision) const {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, get(), (revision + "^{commit}").c_str()) != 0) {
    return std::nullopt;
  }
  GitObject object(raw);
  return *git_object_id(object.get());
}

std::optional<GitTree> GitRepo::tree_of(const std::string& revision) const {
  git_object* raw = nullptr;
  int status = git_revparse_single(&raw, get(), revision.c_str());
  if (status == GIT_ENOTFOUND || status == GIT_EINVALIDSPEC || status == GIT_EUNBORNBRANCH) {
    return std::nullopt;
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
  return GitTree(reinterpret_cast<git_tree*>(tree));
}

std::optional<std::string> GitRepo::reference_name(const std::string& name) const {
  git_reference* raw = nullptr;
  if (git_reference_dwim(&raw, get(), name.c_str()) != 0) {
    return std::nullopt;
  }
  GitReference reference(raw);
  return git_reference_name(reference.get());
}

std::vector<std::string> GitRepo::remote_branches() const {
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

GitOperationKind GitRepo::operation_under_way() const {
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

GitIndex GitRepo::index() const {
  git_index* raw = nullptr;
  check_git(git_repository_index(&raw, get()), "reading the index");
  GitIndex index(raw);
  check_git(git_index_read(index.get(), 0), "reading the index");
  return index;
}

bool GitRepo::in_index(const GitIndex& index, const std::string& path) const {
  return git_index_get_bypath(index.get(), path.c_str(), 0) != nullptr;
}

bool GitRepo::has_conflicts(const GitIndex& index) const {
  return git_index_has_conflicts(index.get()) != 0;
}

bool GitRepo::drop_conflict(GitIndex& index, const std::string& path) const {
  const git_index_entry* ancestor = nullptr;
  const git_index_entry* ours = nullptr;
  const git_index_entry* theirs = nullptr;
  if (git_index_conflict_get(&ancestor, &ours, &theirs, index.get(), path.c_str()) != 0) {
    return false;
  }
  git_index_conflict_remove(index.get(), path.c_str());
  return true;
}

void GitRepo::stage(GitIndex& index, const std::string& path) const {
  check_git(git_index_add_bypath(index.get(), path.c_str()), fmt::format("staging {}", path));
}

void GitRepo::unstage(GitIndex& index, const std::string& path) const {
  check_git(git_index_remove_bypath(index.get(), path.c_str()), fmt::format("unstaging {}", path));
}

void GitRepo::write_index(GitIndex& index) const {
  check_git(git_index_write(index.get()), "writing the index");
}

std::vector<GitFolderEntry> GitRepo::folder_in_tree(const git_tree* tree,
                                                    std::string_view folder) const {
  GitTree owned;  // the subtree, when the folder is not the root
  const git_tree* subtree = tree;
  if (!folder.empty()) {
    git_tree_entry* raw = nullptr;
    if (git_tree_entry_bypath(&raw, tree, std::string(folder).c_str()) != 0) {
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
  std::size_t count = git_tree_entrycount(subtree);
  entries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(subtree, i);
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
      entries.push_back({git_tree_entry_name(entry), *git_tree_entry_id(entry)});
    }
  }
  return entries;  // trees are sorted by name already
}

std::vector<GitFolderEntry> GitRepo::folder_in_index(const GitIndex& index,
                                                     std::string_view folder) const {
  std::string prefix = folder.empty() ? std::string() : std::string(folder) + "/";
  std::vector<GitFolderEntry> entries;
  // The index is sorted by path: find the folder's first entry, then read until it ends.
  std::size_t position = 0;
  if (!prefix.empty() && git_index_find_prefix(&position, index.get(), prefix.c_str()) != 0) {
    return entries;
  }
  std::size_t count = git_index_entrycount(index.get());
  for (std::size_t i = position; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    std::string_view path(entry->path);
    if (!path.starts_with(prefix)) {
      break;
    }
    std::string_view name = path.substr(prefix.size());
    if (name.find('/') != std::string_view::npos || git_index_entry_stage(entry) != 0) {
      continue;  // in a subfolder, or one side of a conflict
    }
    entries.push_back({std::string(name), entry->id});
  }
  return entries;
}

std::vector<std::string> GitRepo::conflicted_paths(const GitIndex& index) const {
  std::vector<std::string> paths;
  std::size_t count = git_index_entrycount(index.get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    if (git_index_entry_stage(entry) != 0 &&
        (paths.empty() || paths.back() != std::string_view(entry->path))) {
      paths.emplace_back(entry->path);
    }
  }
  return paths;
}

std::string GitRepo::read_blob(const git_oid& oid) const {
  git_blob* raw = nullptr;
  check_git(git_blob_lookup(&raw, get(), &oid), fmt::format("reading blob {}", oid_hex(oid)));
  GitBlob blob(raw);
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

}  // namespace migrate
