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

constexpr std::string_view kJournal = ".migrate-transaction";
constexpr std::string_view kHeader = "migrate file transaction\n";

/// Puts `target` back as it was before its change: its copy renamed over it, or, when it had
/// none (a new file), removed. True when it is back (or was never changed).
bool revert(const std::filesystem::path& target, const std::filesystem::path& backup) noexcept {
  if (backup.empty()) {
    return ::unlink(target.c_str()) == 0 || errno == ENOENT;
  }
  return ::rename(backup.c_str(), target.c_str()) == 0;
}

/// One change as the journal names it (`stage	<target>	<staged>	<backup>`), and whether
/// an `apply	<n>` line says its rename (or unlink) may have happened.
struct JournalEntry {
  std::filesystem::path target;
  std::filesystem::path staged;
  std::filesystem::path backup;
  bool applying = false;
};

/// The changes a journal names; a line a killed write cut short (no newline) is not one.
std::vector<JournalEntry> read_journal(std::string_view text) {
  std::vector<JournalEntry> entries;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string_view::npos;
       start = end + 1) {
    std::vector<std::string_view> fields;
    std::string_view line = text.substr(start, end - start);
    for (std::size_t from = 0, tab;; from = tab + 1) {
      tab = line.find('\t', from);
      fields.push_back(line.substr(from, tab == std::string_view::npos ? tab : tab - from));
      if (tab == std::string_view::npos) {
        break;
      }
    }
    if (fields.size() == 4 && fields[0] == "stage") {
      entries.push_back({std::filesystem::path(fields[1]), std::filesystem::path(fields[2]),
                         std::filesystem::path(fields[3])});
    } else if (fields.size() == 2 && fields[0] == "apply") {
      entries.at(std::stoul(std::string(fields[1]))).applying = true;
    }
  }
  return entries;
}

bool there(const std::filesystem::path& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

/// Whether the journal's change is in place. Its staged file goes only by its rename, and
/// stays until the journal is gone; a removed target's copy stays too.
bool in_place(const JournalEntry& entry) {
  if (!entry.applying) {
    return false;
  }
  return entry.staged.empty() ? !there(entry.target) : !there(entry.staged);
}

/// Unlinks the staged files and copies that are still there.
template <typename Changes>
void remove_beside(const Changes& changes) noexcept {
  for (const auto& change : changes) {
    for (const std::filesystem::path* file : {&change.staged, &change.backup}) {
      if (!file->empty()) {
        ::unlink(file->c_str());
      }
    }
  }
}

}  // namespace

bool recover_file_transaction(const std::filesystem::path& dir) noexcept {
  try {
    std::filesystem::path journal = dir / kJournal;
    FileDescriptor fd(::open(journal.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0 || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      return false;  // none, or its transaction is at work
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd.get(), &held) != 0 || ::stat(journal.c_str(), &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
      return false;  // another process recovered it while this one waited for the lock
    }
    std::vector<JournalEntry> entries = read_journal(read_file(journal));
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {  // newest first
      bool copy_gone = !it->backup.empty() && !there(it->backup);   // already put back
      if (in_place(*it) && !copy_gone && !revert(it->target, it->backup)) {
        return false;  // the copy may be the only one left: keep everything
      }
    }
    if (::unlink(journal.c_str()) != 0) {
      return false;
    }
    remove_beside(entries);
    return true;
  } catch (...) {
    return false;  // a journal that cannot be read: the folder is read as it is
  }
}

FileTransaction::FileTransaction(std::filesystem::path dir) : m_dir(std::move(dir)) {}

FileTransaction::~FileTransaction() {
  if (!m_kept) {
    abandon();
  }
}

void FileTransaction::abandon() noexcept {
  undo();
  if (m_journal.get() >= 0) {  // everything is back: nothing for a recovery to do
    ::unlink((m_dir / kJournal).c_str());
    m_journal.close();
  }
  // Only now: while the journal is there, a staged file still beside its target is how a
  // recovery knows the change was never made.
  remove_beside(m_changes);
}

void FileTransaction::open_journal() {
  std::filesystem::path journal = m_dir / kJournal;
  std::filesystem::path temporary = m_dir / fmt::format("{}.{}.new", kJournal, ::getpid());
  for (int attempt = 0;; ++attempt) {
    // Made under another name, locked, then moved in: no other process sees it unlocked.
    FileDescriptor fd(
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666));
    if (fd.get() < 0 || ::flock(fd.get(), LOCK_EX) != 0) {
      throw IoError(fmt::format("cannot create {}: {}. Nothing was changed", temporary.string(),
                                std::strerror(errno)));
    }
    write_all(fd.get(), kHeader, temporary);
    if (rename_no_replace(temporary, journal) == 0) {
      m_journal = std::move(fd);
      return;
    }
    int error = errno;
    ::unlink(temporary.c_str());
    if (error != EEXIST) {
      throw IoError(fmt::format("cannot create {}: {}. Nothing was changed", journal.string(),
                                std::strerror(error)));
    }
    if (attempt > 0 || !recover_file_transaction(m_dir)) {
      throw IoError(fmt::format(
          "another migrate command is changing {} now (it holds {}): run this again when it "
          "has finished. Nothing was changed",
          m_dir.string(), journal.string()));
    }
  }
}

void FileTransaction::log(std::string_view line) {
  write_all(m_journal.get(), line, m_dir / kJournal);
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
  if (m_journal.get() < 0) {
    open_journal();
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
    auto absolute = [](const std::filesystem::path& file) {
      std::string name = file.empty() ? std::string() : std::filesystem::absolute(file).string();
      if (name.find_first_of("\t\n") != std::string::npos) {
        throw IoError(
            fmt::format("cannot change {}: its name holds a tab or a line break, "
                        "which the transaction's journal cannot name",
                        file.string()));
      }
      return name;
    };
    log(fmt::format("stage\t{}\t{}\t{}\n", absolute(path), absolute(change.staged),
                    absolute(change.backup)));
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
      log(fmt::format("apply\t{}\n", i));  // before: a kill may come right after the rename
    } catch (const IoError&) {
      abandon();  // a journal that cannot say what may be in place could not undo it
      throw;
    }
    apply(m_changes[i]);
  }
}

void FileTransaction::keep() {
  if (m_journal.get() >= 0) {
    ::unlink((m_dir / kJournal).c_str());  // from here on the changes are final
    m_journal.close();
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
      bool restored = revert(change.target, change.backup);
      if (!restored && !change.backup.empty()) {
        change.backup.clear();  // the copy stays where it is: it may be the only one left
      }
      change.applied = false;
    }
  }
}

}  // namespace migrate
