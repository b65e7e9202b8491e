#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

/// The message in lower snake case, for a file name: "Add phone to users!" ->
/// "add_phone_to_users". ASCII letters are lowered, other ASCII turns into "_", UTF-8 letters
/// are kept. Throws UsageError when nothing is left.
std::string make_slug(std::string_view message);

/// "<id>_<slug>.sql".
std::string migration_file_name(const MigrationId& id, std::string_view slug);

/// The text of a migration file. parse_migration reads it back to an equal Migration.
std::string write_migration(const Migration& migration);

/// `text` (a migration file in our format) with its `-- depends:` lines replaced by one naming
/// `parents` (file stems), where the first was, else just before `-- migrate:up`. Everything
/// else, line endings included, is kept byte for byte, so the up section's checksum does not
/// change (migrate-renumber relies on it).
std::string with_depends(std::string_view text, const std::vector<std::string>& parents);

}  // namespace migrate
