#include "util/file_transaction.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

FileTransaction::FileTransaction(std::filesystem::path dir) : m_dir(std::move(dir)) {}

FileTransaction::~FileTransaction() {
  if (!m_kept) {
    abandon();
  }
}

void FileTransaction::lock() {
  if (!m_journal && std::filesystem::is_directory(m_dir)) {
    m_journal.emplace(m_dir);
  }
}

void FileTransaction::abandon() noexcept {
  if (m_journal && m_committed) {
    m_journal->undoing();
  }
  undo();
  if (m_journal) {  // everything is back: nothing for a recovery to do
    m_journal->close();
  }
  // Only now: while the journal is there, a staged file still beside its target is how a
  // recovery knows the change was never made.
  for (const Change& change : m_changes) {
    for (const std::filesystem::path* file : {&change.staged, &change.backup}) {
      if (!file->empty()) {
        ::unlink(file->c_str());
      }
    }
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
  if (!m_journal) {
    m_journal.emplace(m_dir);  // no lock() first: the caller planned without it
  }
  Change change{kind, path};
  try {
    bool copied =
        kind == Kind::remove || (kind == Kind::write && ::access(path.c_str(), F_OK) == 0);
    std::string old_content = copied ? read_file(path) : std::string();
    change.backup = copied ? sibling(path, "old") : std::filesystem::path();
    change.staged = kind != Kind::remove ? sibling(path, "new") : std::filesystem::path();
    // Named in the journal before they exist: a process killed in between leaves nothing
    // the journal does not name.
    m_journal->stage(path, change.staged, change.backup);
    if (copied) {
      create_new_file(change.backup, old_content);
    }
    if (kind != Kind::remove) {
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
    abandon();
    throw IoError(fmt::format("cannot put {} in place: {}. Nothing was changed",
                              change.target.string(), std::strerror(error)));
  }
  change.applied = true;
}

void FileTransaction::apply() {
  for (std::size_t i = 0; i < m_changes.size(); ++i) {
    try {
      m_journal->applying(i);  // before: a kill may come right after the rename
    } catch (const IoError&) {
      abandon();  // a journal that cannot say what may be in place could not undo it
      throw;
    }
    apply(m_changes[i]);
  }
}

void FileTransaction::commit() {
  if (m_journal) {
    m_journal->commit();
    m_committed = true;
  }
}

void FileTransaction::keep() {
  if (m_journal) {
    m_journal->close();  // from here on the changes are final
  }
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
      bool restored = put_back(change.target, change.backup);
      if (!restored && !change.backup.empty()) {
        change.backup.clear();  // the copy stays where it is: it may be the only one left
      }
      change.applied = false;
    }
  }
}

}  // namespace migrate
