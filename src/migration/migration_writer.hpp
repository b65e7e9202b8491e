#pragma once

#include <filesystem>
#include <optional>
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

/// One file of a new migration: its name in the folder and its text.
struct NewFile {
  std::string name;
  std::string text;
};

/// A new migration's files as a folder of `format` has them: one `<id>_<slug>.sql` file
/// (write_migration; migrate's and dbmate's, dbmate's without `-- depends:`, which it does not
/// have), a golang-migrate pair, `<id>_<slug>.up.sql` (the documentation as comments, then
/// the up section) and `<id>_<slug>.down.sql`, a goose file (`-- +goose Up` and `-- +goose
/// Down`), Flyway's `V<id>__<slug>.sql` and `U<id>__<slug>.sql`, written as that pair, or a
/// name-ordered folder's pair, written so under the names its `file`s have
/// (name_stem_migration's).
/// Throws UsageError for a format whose files migrate does not write.
std::vector<NewFile> new_migration_files(const Migration& migration, MigrationFormat format);

/// `text` (a migration file in our format) with its `-- depends:` lines replaced by one naming
/// `parents` (file stems), where the first was, else just before `-- migrate:up`. Everything
/// else, line endings included, is kept byte for byte, so the up section's checksum does not
/// change (migrate-renumber relies on it).
std::string with_depends(std::string_view text, const std::vector<std::string>& parents);

/// The text of a migration file (`file`) whose migration now depends on `parent` alone (a file
/// stem; empty for a root), as migrate-renumber chains it: with_depends for a file with both
/// sections; a golang-migrate `.up.sql` or `.down.sql` has no header (its parent is the id
/// before it) and is returned as it was.
std::string with_parent(const std::filesystem::path& file, std::string_view text,
                        const std::string& parent);

/// The text of `child`'s file with `old_parent` replaced by `new_parent` (a file stem) among its
/// parents, as a squash re-points the range's children: its `-- depends:` line rewritten, or
/// written when it had none (its parent was then the migration before it). Every other byte is
/// kept (with_depends). Nullopt when the text has no `-- migrate:up` line to write it above (a
/// golang-migrate file).
std::optional<std::string> with_parent_replaced(std::string_view text, const Migration& child,
                                                const MigrationId& old_parent,
                                                const std::string& new_parent);

/// The text of `migration`'s file without its `-- replaces:` lines (those its references were
/// parsed from), as `migrate-squash --prune` leaves a squash: an ordinary migration. Every other
/// line is kept byte for byte, its line ending included.
std::string without_replaces(std::string_view text, const Migration& migration);

}  // namespace migrate
