#include "git/libgit2/libgit2_index.hpp"

#include <fmt/format.h>

#include "git/libgit2/libgit2_error.hpp"
#include "git/libgit2/libgit2_index_files.hpp"
#include "git/libgit2/libgit2_oid.hpp"
#include "util/file.hpp"

namespace migrate {

bool Libgit2Index::contains(const std::string& path) const {
  return git_index_get_bypath(get(), path.c_str(), 0) != nullptr;
}

bool Libgit2Index::has_conflicts() const {
  return git_index_has_conflicts(get()) != 0;
}

std::vector<std::string> Libgit2Index::conflicted_paths() const {
  std::vector<std::string> paths;
  if (!has_conflicts()) {
    return paths;  // libgit2's own loop: the gate asks this of an index of tens of thousands
  }
  std::size_t count = git_index_entrycount(get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(get(), i);
    if (git_index_entry_stage(entry) != 0 &&
        (paths.empty() || paths.back() != std::string_view(entry->path))) {
      paths.emplace_back(entry->path);
    }
  }
  return paths;
}

bool Libgit2Index::drop_conflict(const std::string& path) {
  const git_index_entry* ancestor = nullptr;
  const git_index_entry* ours = nullptr;
  const git_index_entry* theirs = nullptr;
  if (git_index_conflict_get(&ancestor, &ours, &theirs, get(), path.c_str()) != 0) {
    return false;
  }
  git_index_conflict_remove(get(), path.c_str());
  return true;
}

void Libgit2Index::stage(const std::string& path) {
  check_git(git_index_add_bypath(get(), path.c_str()), fmt::format("staging {}", path));
}

void Libgit2Index::unstage(const std::string& path) {
  check_git(git_index_remove_bypath(get(), path.c_str()), fmt::format("unstaging {}", path));
}

void Libgit2Index::write() {
  check_git(git_index_write(get()), "writing the index");
}

std::vector<GitFolderEntry> Libgit2Index::folder(std::string_view folder) const {
  std::string prefix = folder.empty() ? std::string() : std::string(folder) + "/";
  std::vector<GitFolderEntry> entries;
  // The index is sorted by path: find the folder's first entry, then read until it ends.
  std::size_t position = 0;
  if (!prefix.empty() && git_index_find_prefix(&position, get(), prefix.c_str()) != 0) {
    return entries;
  }
  std::size_t count = git_index_entrycount(get());
  for (std::size_t i = position; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(get(), i);
    std::string_view path(entry->path);
    if (!path.starts_with(prefix)) {
      break;
    }
    std::string_view name = path.substr(prefix.size());
    bool nested = name.find('/') != std::string_view::npos;
    if ((nested && (prefix.empty() || in_hidden_folder(name))) ||
        git_index_entry_stage(entry) != 0) {
      continue;  // outside the folders read, or one side of a conflict
    }
    entries.push_back({std::string(name), to_object_id(entry->id)});
  }
  return entries;
}

std::vector<GitFolderEntry> Libgit2Index::files_at(std::string_view prefix) const {
  std::vector<GitFolderEntry> entries;
  for_each_staged(get(), prefix, [&](const git_index_entry& entry) {
    entries.push_back({entry.path, to_object_id(entry.id)});
  });
  return entries;
}

}  // namespace migrate
