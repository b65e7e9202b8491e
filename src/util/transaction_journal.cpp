#include "util/transaction_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"
#include "util/process_gone.hpp"

namespace migrate {

namespace {

constexpr std::string_view kJournal = ".migrate-transaction";
constexpr std::string_view kHeader = "migrate file transaction";
constexpr int kRetries = 3;  ///< after a recovery, or a journal gone meanwhile

bool there(const std::filesystem::path& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

/// The folder's identity for the header: a journal copied elsewhere is not this folder's.
std::string folder_identity(const std::filesystem::path& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) {
    throw IoError(fmt::format("cannot read {}: {}", dir.string(), std::strerror(errno)));
  }
  return fmt::format("{} {}", info.st_dev, info.st_ino);
}

/// One change as the journal names it, resolved against the folder.
struct Entry {
  std::filesystem::path target;
  std::filesystem::path staged;  ///< empty for a removal
  std::filesystem::path backup;  ///< empty for a new file
  bool applying = false;         ///< its rename (or unlink) may have happened
};

struct Journal {
  std::string identity;
  std::vector<Entry> entries;
  bool committed = false;  ///< past its commit, and not undoing
};

std::vector<std::string_view> tab_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t from = 0, tab;; from = tab + 1) {
    tab = line.find('\t', from);
    fields.push_back(line.substr(from, tab == std::string_view::npos ? tab : tab - from));
    if (tab == std::string_view::npos) {
      return fields;
    }
  }
}

/// A name the journal holds, resolved against `dir`; one that leaves the folder is refused.
std::filesystem::path resolved(const std::filesystem::path& dir, std::string_view name) {
  if (name.empty()) {
    return {};
  }
  std::filesystem::path relative(name);
  if (relative.is_absolute() || *relative.begin() == "..") {
    throw IoError(fmt::format("{} names a file outside its folder", (dir / kJournal).string()));
  }
  return dir / relative;
}

/// The journal's lines; a line a killed write cut short (no newline) is not one. Throws
/// IoError for lines it does not know.
Journal read_journal(const std::filesystem::path& dir, std::string_view text) {
  Journal journal;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string_view::npos;
       start = end + 1) {
    std::string_view line = text.substr(start, end - start);
    std::vector<std::string_view> fields = tab_fields(line);
    if (start == 0 && line.starts_with(kHeader)) {
      journal.identity = std::string(line.substr(std::min(line.size(), kHeader.size() + 1)));
    } else if (fields.size() == 4 && fields[0] == "stage") {
      journal.entries.push_back(
          {resolved(dir, fields[1]), resolved(dir, fields[2]), resolved(dir, fields[3])});
    } else if (fields.size() == 2 && fields[0] == "apply") {
      char* rest = nullptr;
      unsigned long index = std::strtoul(std::string(fields[1]).c_str(), &rest, 10);
      if (*rest != '\0' || index >= journal.entries.size()) {
        throw IoError(fmt::format("{}: a change it never staged", (dir / kJournal).string()));
      }
      journal.entries[index].applying = true;
    } else if (line == "commit" || line == "undo") {
      journal.committed = line == "commit";
    } else {
      throw IoError(fmt::format("{}: a line it does not know", (dir / kJournal).string()));
    }
  }
  return journal;
}

/// Whether the entry's change is in place. A staged file goes only by its rename and stays
/// until the journal is gone; a removed target's copy stays too.
bool in_place(const Entry& entry) {
  if (!entry.applying) {
    return false;
  }
  if (entry.staged.empty()) {
    return !there(entry.target) && there(entry.backup);
  }
  return !there(entry.staged) && there(entry.target);
}

/// The process id in a name FileTransaction gives what it stages (`.<file>.migrate-<pid>-<n>.new`
/// or `.old`) or TransactionJournal its journal before it is in place
/// (`.migrate-transaction.<pid>.new`); 0 for another name.
long leftover_pid(std::string_view name) {
  if (!name.starts_with(".") || !(name.ends_with(".new") || name.ends_with(".old"))) {
    return 0;
  }
  const std::string journal_prefix = std::string(kJournal) + ".";
  std::size_t at =
      name.starts_with(journal_prefix) ? journal_prefix.size() : name.rfind(".migrate-");
  if (at == std::string_view::npos) {
    return 0;
  }
  if (!name.starts_with(journal_prefix)) {
    at += std::string_view(".migrate-").size();
  }
  return std::strtol(std::string(name.substr(at)).c_str(), nullptr, 10);
}

/// Removes what earlier transactions left beside their targets in `dir` outside a journal (a
/// kill after the journal went, before the copies did). Called with the folder's journal held:
/// no other transaction is at work there, whatever its process id says (another pid namespace).
void remove_leftovers(const std::filesystem::path& dir) noexcept {
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    long pid = leftover_pid(name);
    // A journal not yet moved in may be a live process's, about to find this one's.
    bool journal = name.starts_with(std::string(kJournal) + ".");
    if (pid > 0 && pid != ::getpid() && (!journal || process_gone(pid))) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

}  // namespace

bool put_back(const std::filesystem::path& target, const std::filesystem::path& backup) noexcept {
  if (backup.empty()) {
    return ::unlink(target.c_str()) == 0 || errno == ENOENT;
  }
  return !there(backup) || ::rename(backup.c_str(), target.c_str()) == 0;
}

Recovery recover_file_transaction(const std::filesystem::path& dir) noexcept {
  try {
    std::filesystem::path path = dir / kJournal;
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      return Recovery::none;
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      return Recovery::busy;  // its transaction is at work
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd.get(), &held) != 0 || ::stat(path.c_str(), &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
      return Recovery::busy;  // another process recovered it while this one waited
    }
    Journal journal = read_journal(dir, read_file(path));
    if (journal.identity != folder_identity(dir) && !journal.entries.empty()) {
      return Recovery::stuck;  // copied from another folder: what it names is not here
    }
    if (!journal.committed) {
      for (auto it = journal.entries.rbegin(); it != journal.entries.rend(); ++it) {
        if (in_place(*it) && !put_back(it->target, it->backup)) {
          return Recovery::stuck;  // the copy may be the only one left: keep everything
        }
      }
    }
    if (::unlink(path.c_str()) != 0) {
      return Recovery::stuck;
    }
    for (const Entry& entry : journal.entries) {
      for (const std::filesystem::path* file : {&entry.staged, &entry.backup}) {
        if (!file->empty()) {
          ::unlink(file->c_str());
        }
      }
    }
    return Recovery::recovered;
  } catch (...) {
    return Recovery::stuck;  // a journal that cannot be read: the folder is read as it is
  }
}

TransactionJournal::TransactionJournal(std::filesystem::path dir)
    : m_dir(std::move(dir)), m_path(m_dir / kJournal) {
  std::filesystem::path temporary = m_dir / fmt::format("{}.{}.new", kJournal, ::getpid());
  std::string header = fmt::format("{} {}\n", kHeader, folder_identity(m_dir));
  for (int attempt = 0;; ++attempt) {
    // Made under another name, locked, then moved in: no other process sees it unlocked.
    FileDescriptor fd(
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666));
    if (fd.get() < 0 || ::flock(fd.get(), LOCK_EX) != 0) {
      throw IoError(fmt::format("cannot create {}: {}. Nothing was changed", temporary.string(),
                                std::strerror(errno)));
    }
    write_all(fd.get(), header, temporary);
    if (rename_no_replace(temporary, m_path) == 0) {
      m_fd = std::move(fd);
      remove_leftovers(m_dir);
      return;
    }
    int error = errno;
    ::unlink(temporary.c_str());
    if (error != EEXIST) {
      throw IoError(fmt::format("cannot create {}: {}. Nothing was changed", m_path.string(),
                                std::strerror(error)));
    }
    Recovery found = recover_file_transaction(m_dir);
    if (found == Recovery::stuck) {
      throw IoError(fmt::format(
          "{} was left by a migrate command that was stopped while it changed files there, and "
          "what it says cannot be undone here (it names files that are missing, or it was "
          "copied from another folder). Check the files it names, then remove it. Nothing was "
          "changed",
          m_path.string()));
    }
    // Not waited for: the caller planned its changes from the folder as it read it before
    // this lock, and the other command is changing that folder.
    if (found == Recovery::busy || attempt >= kRetries) {
      throw IoError(fmt::format(
          "another migrate command is changing {} now (it holds {}): run this again when it "
          "has finished. Nothing was changed",
          m_dir.string(), m_path.string()));
    }
  }
}

std::string TransactionJournal::relative(const std::filesystem::path& file) const {
  if (file.empty()) {
    return {};
  }
  std::filesystem::path name =
      std::filesystem::absolute(file).lexically_normal().lexically_relative(
          std::filesystem::absolute(m_dir).lexically_normal());
  std::string text = name.string();
  if (name.empty() || *name.begin() == ".." || text.find_first_of("\t\n") != std::string::npos) {
    throw IoError(fmt::format(
        "cannot change {} in a transaction of {}: {}", file.string(), m_dir.string(),
        name.empty() || *name.begin() == ".." ? "it is outside that folder"
                                              : "its name holds a tab or a line break"));
  }
  return text;
}

void TransactionJournal::stage(const std::filesystem::path& target,
                               const std::filesystem::path& staged,
                               const std::filesystem::path& backup) {
  log(fmt::format("stage\t{}\t{}\t{}\n", relative(target), relative(staged), relative(backup)));
}

void TransactionJournal::applying(std::size_t index) {
  log(fmt::format("apply\t{}\n", index));
}

void TransactionJournal::commit() {
  log("commit\n");
}

void TransactionJournal::undoing() noexcept {
  try {
    log("undo\n");
  } catch (const IoError&) {
    // Undone in this process all the same; only a kill in the middle would find it unsaid.
  }
}

void TransactionJournal::close() noexcept {
  if (m_fd.get() >= 0) {
    ::unlink(m_path.c_str());
    m_fd.close();
  }
}

void TransactionJournal::log(std::string_view line) {
  write_all(m_fd.get(), line, m_path);
}

}  // namespace migrate
