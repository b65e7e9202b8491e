#include "util/file_transaction.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

FileTransaction::~FileTransaction() {
  if (!m_kept) {
    undo();
  }
}

std::filesystem::path FileTransaction::sibling(const std::filesystem::path& path,
                                               std::string_view suffix) {
  // Hidden, and not ending in .sql: a migrations folder read meanwhile ignores it.
  return path.parent_path() / fmt::format(".{}.migrate-{}-{}.{}", path.filename().string(),
                                          ::getpid(), m_next_name++, suffix);
}

void FileTransaction::stage(Kind kind, const std::filesystem::path& path,
                            std::string_view content) {
  Change change{kind, path, {}, sibling(path, "old")};
  if (kind != Kind::remove) {
    change.staged = sibling(path, "new");
    create_new_file(change.staged, content);
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
  auto fail = [&](const std::filesystem::path& path) {
    int error = errno;
    undo();
    throw Error(ExitCode::failure, fmt::format("cannot put {} in place: {}. Nothing was changed",
                                               path.string(), std::strerror(error)));
  };
  if (change.kind == Kind::create) {
    // link() refuses an existing target, where rename() would replace it.
    if (::link(change.staged.c_str(), change.target.c_str()) != 0) {
      fail(change.target);
    }
    change.applied = true;
    ::unlink(change.staged.c_str());
    return;
  }
  bool exists = ::access(change.target.c_str(), F_OK) == 0;
  if (exists || change.kind == Kind::remove) {
    if (::rename(change.target.c_str(), change.backup.c_str()) != 0) {
      fail(change.target);
    }
    change.backed_up = true;
  }
  if (change.kind == Kind::write) {
    if (::rename(change.staged.c_str(), change.target.c_str()) != 0) {
      fail(change.target);
    }
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
    if (change.backed_up) {
      ::unlink(change.backup.c_str());
    }
  }
  m_kept = true;
}

void FileTransaction::undo() noexcept {
  // Newest first, renames only: what each change moved aside goes back where it was.
  for (auto it = m_changes.rbegin(); it != m_changes.rend(); ++it) {
    Change& change = *it;
    if (change.applied && change.kind != Kind::remove && !change.backed_up) {
      ::unlink(change.target.c_str());  // a file that did not exist before
    }
    if (change.backed_up) {
      ::rename(change.backup.c_str(), change.target.c_str());
    }
    if (!change.staged.empty()) {
      ::unlink(change.staged.c_str());  // staged but never moved in (gone once it was)
    }
    change.applied = false;
    change.backed_up = false;
  }
}

}  // namespace migrate
