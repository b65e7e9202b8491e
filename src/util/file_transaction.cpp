#include "util/file_transaction.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

/// rename() that refuses to replace an existing `to`. RENAME_NOREPLACE where the filesystem
/// has it; elsewhere a check first (a narrow race, on filesystems that leave no better way).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    return -1;
  }
  if (::access(to.c_str(), F_OK) == 0) {
    errno = EEXIST;
    return -1;
  }
  return ::rename(from.c_str(), to.c_str());
}

}  // namespace

FileTransaction::~FileTransaction() {
  if (!m_kept) {
    undo();
  }
}

std::filesystem::path FileTransaction::sibling(const std::filesystem::path& path,
                                               std::string_view suffix) {
  // Hidden, and not ending in .sql: a migrations folder read meanwhile ignores it. A name
  // left by an earlier run that died (with this process id) is skipped, never reused.
  for (;;) {
    std::filesystem::path name =
        path.parent_path() / fmt::format(".{}.migrate-{}-{}.{}", path.filename().string(),
                                         ::getpid(), m_next_name++, suffix);
    if (::access(name.c_str(), F_OK) != 0) {
      return name;
    }
  }
}

void FileTransaction::stage(Kind kind, const std::filesystem::path& path,
                            std::string_view content) {
  Change change{kind, path};
  try {
    if (kind == Kind::remove || (kind == Kind::write && ::access(path.c_str(), F_OK) == 0)) {
      std::string old_content = read_file(path);
      change.backup = sibling(path, "old");
      create_new_file(change.backup, old_content);
    }
    if (kind != Kind::remove) {
      change.staged = sibling(path, "new");
      create_new_file(change.staged, content);
    }
  } catch (...) {
    // A file written half-way (a full disk) must not stay behind.
    for (const std::filesystem::path& file : {change.backup, change.staged}) {
      if (!file.empty()) {
        ::unlink(file.c_str());
      }
    }
    throw;
  }
  m_changes.push_back(std::move(change));
}

void FileTransaction::write(const std::filesystem::path& path, std::string_view content) {
  stage(Kind::write, path, content);
}

void FileTransaction::create(const std::filesystem::path& path, std::string_view content) {
  stage(Kind::create, path, content);
}

void FileTransaction::remove(const std::filesystem::path& path) {
  stage(Kind::remove, path, {});
}

void FileTransaction::apply(Change& change) {
  int status = 0;
  switch (change.kind) {
    case Kind::write:  // one rename: the target is the old or the new file, never missing
      status = ::rename(change.staged.c_str(), change.target.c_str());
      break;
    case Kind::create:
      status = rename_no_replace(change.staged, change.target);
      break;
    case Kind::remove:
      status = ::unlink(change.target.c_str());
      break;
  }
  if (status != 0) {
    int error = errno;
    undo();
    throw IoError(fmt::format("cannot put {} in place: {}. Nothing was changed",
                              change.target.string(), std::strerror(error)));
  }
  change.applied = true;
}

void FileTransaction::apply() {
  for (Change& change : m_changes) {
    apply(change);
  }
}

void FileTransaction::keep() {
  for (const Change& change : m_changes) {
    if (!change.backup.empty()) {
      ::unlink(change.backup.c_str());
    }
  }
  m_kept = true;
}

void FileTransaction::undo() noexcept {
  // Newest first. Putting a file back is one rename of its copy; a file that did not exist
  // before goes.
  for (auto it = m_changes.rbegin(); it != m_changes.rend(); ++it) {
    Change& change = *it;
    if (change.applied) {
      bool restored = change.backup.empty()
                          ? ::unlink(change.target.c_str()) == 0
                          : ::rename(change.backup.c_str(), change.target.c_str()) == 0;
      if (!restored && !change.backup.empty()) {
        change.backup.clear();  // the copy stays where it is: it may be the only one left
      }
      change.applied = false;
    }
    for (const std::filesystem::path* file : {&change.staged, &change.backup}) {
      if (!file->empty()) {
        ::unlink(file->c_str());  // not moved in (or moved back): a leftover otherwise
      }
    }
  }
}

}  // namespace migrate
