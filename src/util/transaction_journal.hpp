#pragma once

#include <cstddef>
#include <filesystem>

#include "util/file_descriptor.hpp"

namespace migrate {

/// The journal of a FileTransaction: `.migrate-transaction` in the folder it changes. A
/// process killed half-way (kill -9, Ctrl-C) runs no destructor, so what it was doing must be
/// on disk for the next command to undo. The journal names each change before its files exist
/// and each rename before it happens; it is locked (flock) while its transaction lives, which
/// also keeps a second transaction out of the folder. A journal nobody holds was left by a
/// process that died: recover_file_transaction() undoes what it says.
///
/// Its lines: `migrate file transaction <dev> <inode>` (the folder's, so a journal copied into
/// another folder is never taken for its own), then `stage <target> <staged> <backup>` (names
/// relative to the folder, tab-separated; staged empty for a removal, backup empty for a new
/// file), `apply <n>` before the n-th change's rename, `commit` at the point of no return (a
/// recovery keeps the changes from there on), `undo` when the process undoes them after all.
class TransactionJournal {
 public:
  /// Creates and locks the journal of `dir`. One a dead process left is recovered first, and
  /// what such processes left beside their targets removed. Throws IoError when another
  /// transaction holds the folder (not waited for: the caller's plan was made from the folder
  /// as it was before), or a journal there cannot be recovered (what to do).
  explicit TransactionJournal(std::filesystem::path dir);
  TransactionJournal(const TransactionJournal&) = delete;
  TransactionJournal& operator=(const TransactionJournal&) = delete;

  /// Names a change, before its staged file and copy are made. Throws IoError for a file
  /// outside the folder, or a name the journal cannot hold (a tab, a line break).
  void stage(const std::filesystem::path& target, const std::filesystem::path& staged,
             const std::filesystem::path& backup);
  /// Says the n-th staged change is about to be put in place.
  void applying(std::size_t index);
  /// From here on, a recovery keeps the changes (the caller is about to make something outside
  /// the folder agree with them: the git index).
  void commit();
  /// After commit(), the changes are being undone after all: a recovery undoes the rest.
  void undoing() noexcept;
  /// The transaction is over: the journal goes, and its lock with it.
  void close() noexcept;

 private:
  void log(std::string_view line);
  std::string relative(const std::filesystem::path& file) const;

  std::filesystem::path m_dir;
  std::filesystem::path m_path;
  FileDescriptor m_fd{-1};
};

/// What recover_file_transaction found in a folder.
enum class Recovery {
  none,       ///< no journal
  recovered,  ///< a dead process's journal: its changes undone (or kept after its commit)
  busy,       ///< a live transaction's journal (or one another process is recovering)
  stuck,      ///< a journal that cannot be undone: unreadable, from another folder, or a copy
              ///< that cannot be put back; left as it is
};

/// Puts `target` back as it was before its change: its copy (`backup`) renamed over it, or,
/// when it had none (a new file), removed. True when it is back, also when the copy is gone
/// already (it was put back before). For FileTransaction's undo and for a recovery alike.
bool put_back(const std::filesystem::path& target, const std::filesystem::path& backup) noexcept;

/// Undoes the file transaction a dead process left in `dir` (its journal there, and nobody
/// holding it): each change it had put in place goes back (unless it had passed its commit),
/// then its journal goes, then its staged files and copies. Never throws.
Recovery recover_file_transaction(const std::filesystem::path& dir) noexcept;

}  // namespace migrate
