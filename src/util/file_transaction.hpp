#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "util/transaction_journal.hpp"

namespace migrate {

/// Changes to several files that happen all together or not at all, for a command that
/// rewrites a set of files (migrate-renumber renames and edits migrations, and rewrites
/// migrations/HEAD): a failure half-way must leave the files as they were.
///
/// Staging writes each new content, and a copy of each file that will be replaced or removed,
/// to hidden files beside their targets: a full disk or a read-only folder fails there, with
/// nothing changed. apply() then only renames (or unlinks), so each target is always either
/// its old or its new self, never missing. Until keep(), every change can be put back by
/// renaming the copies back, which needs no space; the destructor does that.
///
/// A process killed half-way (kill -9, Ctrl-C) runs no destructor, so the transaction also
/// keeps a journal in its folder (TransactionJournal), which the next command that reads the
/// folder undoes (recover_file_transaction); the journal's lock keeps a second transaction out
/// of the folder. keep() removes the journal first: from then on the changes are final.
class FileTransaction {
 public:
  /// `dir`: the folder the changes are made in (a migrations folder), which holds the journal.
  explicit FileTransaction(std::filesystem::path dir);
  FileTransaction(const FileTransaction&) = delete;
  FileTransaction& operator=(const FileTransaction&) = delete;
  /// Undoes whatever was staged or applied, unless keep() was called.
  ~FileTransaction();

  /// Takes the folder's journal now, before the caller reads the folder to plan its changes:
  /// a plan made from what another command is changing would be stale. Throws IoError when
  /// another transaction holds it. Does nothing when the folder does not exist (reading it
  /// then says so).
  void lock();
  /// Stages `path` with `content`, replacing the file if there is one. Throws IoError when
  /// another process's transaction is at work in the folder.
  void write(const std::filesystem::path& path, std::string_view content);
  /// Stages a new file: apply() fails if `path` exists by then.
  void create(const std::filesystem::path& path, std::string_view content);
  /// Stages the removal of `path`.
  void remove(const std::filesystem::path& path);

  /// Puts every staged change in place, in the order staged. Throws IoError naming the file,
  /// with every change undone, when one cannot be made.
  void apply();
  /// After apply(): a process killed from here on keeps the changes rather than having them
  /// undone (call it right before making something outside the folder agree with them, such
  /// as the git index). Undoing them in this process (the destructor without keep()) still
  /// undoes them.
  void commit();
  /// Makes the applied changes final: the journal and the backups are deleted.
  void keep();

 private:
  enum class Kind { write, create, remove };
  struct Change {
    Kind kind;
    std::filesystem::path target;
    std::filesystem::path staged;  ///< the new content beside the target; empty for remove
    std::filesystem::path backup;  ///< a copy of the old file; empty when there was none
    bool applied = false;          ///< the target holds the change
  };

  std::filesystem::path sibling(const std::filesystem::path& path, std::string_view suffix);
  void stage(Kind kind, const std::filesystem::path& path, std::string_view content);
  void apply(Change& change);
  void undo() noexcept;
  /// undo(), and the journal goes: nothing is left to recover.
  void abandon() noexcept;

  std::filesystem::path m_dir;
  std::optional<TransactionJournal> m_journal;  ///< made (and locked) at the first change
  std::vector<Change> m_changes;
  unsigned m_next_name = 0;
  bool m_committed = false;
  bool m_kept = false;
};

}  // namespace migrate
