#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

class ReadStart;

/// What a migrations folder on disk holds, as a snapshot can stand for it: each entry's name
/// with its stamp (util/file_stamp), in name order.
///
/// nullopt when no snapshot may stand for the folder: it cannot be listed, one of its stamps
/// is too young to trust (ReadStart::racy), it has a subfolder a reader looks into (Flyway's
/// scanner does, and its files are clues to the format), or a Go migration (whose warning must
/// be printed on every run).
std::optional<std::string> folder_state(const std::filesystem::path& dir, const ReadStart& start);

/// The whole folder's outlines as one file (.git/migrate/outlines/<folder>.folder): the warm
/// path of reading outlines, which then lists the folder and stats its files, and neither
/// parses a name nor looks a file up.
///
/// `settings` names whatever else the reading depended on (the format chosen, skip-go, the
/// folder as its paths are written). A snapshot is found only for the same state, the same
/// settings and the same parser (its fingerprint): a damaged or foreign file is never trusted.
std::optional<std::vector<Migration>> load_folder_snapshot(const std::filesystem::path& file,
                                                           std::string_view state,
                                                           std::string_view settings);
/// Writes the snapshot of `migrations` (outlines), read from a folder in `state`. Best effort,
/// like every cache: a file that cannot be written costs the next run its shortcut.
void save_folder_snapshot(const std::filesystem::path& file, std::string_view state,
                          std::string_view settings,
                          const std::vector<Migration>& migrations) noexcept;

}  // namespace migrate
