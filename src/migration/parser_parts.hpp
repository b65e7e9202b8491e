#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"
#include "migration/migration_parser.hpp"

// The pieces every migration file parser shares (ours and dbmate's, golang-migrate pairs,
// goose's): internal to src/migration.
namespace migrate {

/// Cuts blank lines off the start (moving first_line down) and white space off the end.
Section make_section(std::string_view body, int first_line, const SharedPath& file,
                     SectionOptions options);
/// Drops trailing empty documentation lines.
void trim_doc(std::vector<std::string>& doc);
/// The text of a `--` comment line without the dashes and the one space after them.
std::string comment_text(std::string_view comment);
/// The text without a UTF-8 byte order mark, which some editors put first: it is not SQL.
std::string_view without_bom(std::string_view text);
/// Refuses a NUL byte anywhere in a migration file. Databases read SQL as C strings, so
/// everything after one would be dropped without a word while the step still reports "ok".
void refuse_nul(const std::filesystem::path& file, std::string_view text);
/// A migration with the file name's id and slug, and the file.
Migration named_migration(const MigrationFileName& name, const std::filesystem::path& file);

}  // namespace migrate
