#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"
#include "util/sealed_file.hpp"

namespace migrate {

class HelperThreads;

class ReadStart;

/// What a migrations folder on disk holds, as a snapshot can stand for it.
struct FolderState {
  /// Each entry's name with its stamp (util/file_stamp), in name order: what a snapshot is
  /// kept for.
  std::string entries;
  /// The folder's own stamp (as text), taken before it was listed; empty when too young to
  /// trust (ReadStart::racy), or on a filesystem that may keep it over a change
  /// (folder_stamp_follows_entries). While a folder keeps its stamp no entry was added, removed
  /// or renamed in it (each moves its mtime and ctime), so the names its last listing found may
  /// stand for a new listing, as git's untracked cache trusts a directory's stat.
  std::string folder;
  /// Whether the names came from such a listing rather than the folder's (MIGRATE_TRACE).
  bool listing_kept = false;
};

/// The listing a snapshot was taken from: its folder's stamp, and the names it found in name
/// order, each followed in memory by a '\0' (what fstatat takes).
struct FolderListing {
  std::string_view folder;
  std::vector<std::string_view> names;
};

/// The folder's state; nullopt when no snapshot may stand for it: it cannot be listed, one of
/// its stamps is too young to trust (ReadStart::racy), it has a subfolder a reader looks into
/// (Flyway's scanner does, and its files are clues to the format), or a Go migration (whose
/// warning must be printed on every run).
///
/// With `listed`, taken while the folder had the stamp it has now, the folder is not listed:
/// its names are stat'ed (the readdir of a hashed ext4 folder of 10,000 files costs more than
/// a third of their stats). A name that is gone then (a filesystem that kept the folder's
/// stamp over a change) has the folder listed after all.
///
/// Its stats are spread over `helpers` when given (see HelperThreads), else over threads it
/// starts.
std::optional<FolderState> folder_state(const std::filesystem::path& dir, const ReadStart& start,
                                        const FolderListing* listed = nullptr,
                                        HelperThreads* helpers = nullptr);

/// The whole folder's outlines as one file (.git/migrate/outlines/<folder>.folder): the warm
/// path of reading outlines, which then stats the folder's files, and neither parses a name
/// nor looks a file up.
///
/// `settings` names whatever else the reading depended on (the format chosen, skip-go, the
/// folder as its paths are written). A snapshot is found only for the same state, the same
/// settings and the same parser (its fingerprint): a damaged or foreign file is never trusted.
class FolderSnapshot {
 public:
  /// The snapshot in `file` for these settings; one that stands for nothing when there is
  /// none, or it is damaged, foreign or for other settings.
  FolderSnapshot(const std::filesystem::path& file, std::string_view settings);
  FolderSnapshot(const FolderSnapshot&) = delete;
  FolderSnapshot& operator=(const FolderSnapshot&) = delete;

  /// The listing it was taken from, when it kept its folder's stamp: folder_state's `listed`.
  const FolderListing* listing() const;
  /// Its outlines when it stands for a folder in `state`, decoded on `helpers` when given.
  std::optional<std::vector<Migration>> migrations(const FolderState& state,
                                                   HelperThreads* helpers = nullptr) const;
  /// Whether its folder's stamp is older than `state`'s, for the same entries: a file made and
  /// removed (an editor's swap file) moved the folder's stamp. Refreshed, the snapshot's
  /// listing stands for the folder again.
  bool folder_moved(const FolderState& state) const;
  /// Writes the snapshot again with `state`'s folder stamp (its outlines copied, not decoded).
  void refresh(const std::filesystem::path& file, const FolderState& state) const noexcept;

 private:
  std::string m_settings;
  std::optional<SealedContent> m_content;
  std::string_view m_folder;
  std::string_view m_entries;
  std::string_view m_records;
  std::optional<FolderListing> m_listing;
};

/// Writes the snapshot of `migrations` (outlines), read from a folder in `state`. Best effort,
/// like every cache: a file that cannot be written costs the next run its shortcut.
void save_folder_snapshot(const std::filesystem::path& file, const FolderState& state,
                          std::string_view settings,
                          const std::vector<Migration>& migrations) noexcept;

}  // namespace migrate
