#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

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
class FileTransaction {
 public:
  FileTransaction() = default;
  FileTransaction(const FileTransaction&) = delete;
  FileTransaction& operator=(const FileTransaction&) = delete;
  /// Undoes whatever was staged or applied, unless keep() was called.
  ~FileTransaction();

  /// Stages `path` with `content`, replacing the file if there is one.
  void write(const std::filesystem::path& path, std::string_view content);
  /// Stages a new file: apply() fails if `path` exists by then.
  void create(const std::filesystem::path& path, std::string_view content);
  /// Stages the removal of `path`.
  void remove(const std::filesystem::path& path);

  /// Puts every staged change in place, in the order staged. Throws IoError naming the file,
  /// with every change undone, when one cannot be made.
  void apply();
  /// Makes the applied changes final: the backups are deleted.
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

  std::vector<Change> m_changes;
  unsigned m_next_name = 0;
  bool m_kept = false;
};

}  // namespace migrate
