#include "git/libgit2/libgit2_index_files.hpp"

#include <system_error>

#include <fmt/format.h>

#include "git/git_repo.hpp"
#include "git/libgit2/git_handle.hpp"
#include "git/libgit2/libgit2_error.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

/// Whether `path` (as the index has it) stays inside the folder it is written to: no empty,
/// `.` or `..` part, and no `.git` (git refuses to check those out too).
bool safe_path(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return false;
  }
  for (std::size_t start = 0;;) {
    std::size_t slash = path.find('/', start);
    std::string_view part = path.substr(start, slash - start);
    if (part.empty() || part == "." || part == ".." || part == ".git") {
      return false;
    }
    if (slash == std::string_view::npos) {
      return true;
    }
    start = slash + 1;
  }
}

void io_failed(std::string_view what, const std::filesystem::path& path, std::error_code error) {
  if (error) {
    throw IoError(fmt::format("cannot {} {}: {}", what, path.string(), error.message()));
  }
}

/// One staged entry, written at its path under `folder`. The folders on the way are made one
/// by one, never `folder` itself: once it is removed (Ctrl-C), nothing makes it again.
void write_entry(git_repository* repo, const git_index_entry& entry,
                 const std::filesystem::path& folder) {
  std::filesystem::path relative(entry.path);
  std::filesystem::path target = folder;
  std::error_code error;
  for (const std::filesystem::path& part : relative.parent_path()) {
    target /= part;
    std::filesystem::create_directory(target, error);
    io_failed("create the folder", target, error);
  }
  target /= relative.filename();
  if (entry.mode == GIT_FILEMODE_COMMIT) {  // a submodule: its folder, as a checkout leaves it
    std::filesystem::create_directory(target, error);
    io_failed("create the folder", target, error);
    return;
  }
  git_blob* raw = nullptr;
  check_git(git_blob_lookup(&raw, repo, &entry.id), fmt::format("reading {}", entry.path));
  GitBlob blob(raw);
  std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                           static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  if (entry.mode == GIT_FILEMODE_LINK) {
    std::filesystem::create_symlink(std::string(content), target, error);
    io_failed("create the link", target, error);
    return;
  }
  create_new_file(target, content);
  if (entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
    using std::filesystem::perms;
    std::filesystem::permissions(target, perms::owner_exec | perms::group_exec | perms::others_exec,
                                 std::filesystem::perm_options::add, error);
    io_failed("make executable", target, error);
  }
}

}  // namespace

void for_each_staged(git_index* index, std::string_view prefix,
                     const std::function<void(const git_index_entry&)>& each) {
  std::string wanted(prefix);
  while (!wanted.empty() && wanted.back() == '/') {
    wanted.pop_back();
  }
  // The index is sorted by path: from the first entry that starts with the prefix, until one
  // does not. "schema" also finds "schema.sql" and "schemas/…", which are not under it.
  std::size_t position = 0;
  if (!wanted.empty() && git_index_find_prefix(&position, index, wanted.c_str()) != 0) {
    return;
  }
  std::size_t count = git_index_entrycount(index);
  for (std::size_t i = position; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index, i);
    std::string_view path(entry->path);
    if (!path.starts_with(wanted)) {
      break;
    }
    bool under = wanted.empty() || path.size() == wanted.size() || path[wanted.size()] == '/';
    if (under && git_index_entry_stage(entry) == 0) {  // not a sibling, nor a side of a conflict
      each(*entry);
    }
  }
}

std::vector<std::string> write_index_files(git_repository* repo, git_index* index,
                                           std::string_view prefix,
                                           const std::filesystem::path& folder) {
  std::vector<std::string> written;
  for_each_staged(index, prefix, [&](const git_index_entry& entry) {
    std::string_view path(entry.path);
    if (!safe_path(path)) {
      throw GitError(fmt::format("the index holds a path git would not check out: {}", path));
    }
    write_entry(repo, entry, folder);
    written.emplace_back(path);
  });
  return written;
}

}  // namespace migrate
