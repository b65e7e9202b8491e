#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

/// Reads every migration in `dir`, sorted by id: our files and dbmate's (`<id>_<slug>.sql`), and
/// golang-migrate pairs (`<id>_<slug>.up.sql` / `.down.sql`). Other files (README, HEAD, hidden
/// files) are ignored; a ".sql" file that is not a valid migration is an error, never skipped.
/// Throws ConfigError when the folder does not exist, ParseError (or an Error listing several)
/// for bad files.
std::vector<Migration> read_migration_dir(const std::filesystem::path& dir);

/// The one-line `HEAD` file in the migrations folder: the current head's file stem.
std::filesystem::path head_file_path(const std::filesystem::path& dir);
std::optional<std::string> read_head_file(const std::filesystem::path& dir);
void write_head_file(const std::filesystem::path& dir, const std::string& stem);

}  // namespace migrate
