#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "migration/migration.hpp"

namespace migrate {

/// What a file name in the migrations folder says.
struct MigrationFileName {
  enum class Kind {
    single,  ///< <id>_<slug>.sql: both sections in one file (ours, dbmate)
    up,      ///< <id>_<slug>.up.sql (golang-migrate)
    down,    ///< <id>_<slug>.down.sql (golang-migrate)
  };
  MigrationId id;
  std::string slug;
  Kind kind = Kind::single;

  /// "<id>_<slug>": the name without ".sql", ".up.sql" or ".down.sql".
  std::string stem() const { return migration_stem(id, slug); }
};

/// Whether a folder entry's name says it is meant as a migration: not hidden (editors' `.#x.sql`
/// lock links are not), and ending in `.sql` in any case.
bool named_like_migration(const std::filesystem::path& file);

/// Reads a migration file name. nullopt for files that are not migrations at all (no ".sql"
/// extension, hidden files); throws ParseError for a ".sql" file whose name has no leading id,
/// or whose extension is not lower case, because silently skipping it would silently skip its
/// schema change.
std::optional<MigrationFileName> parse_file_name(const std::filesystem::path& file);

/// Parses a file with `-- migrate:up` / `-- migrate:down` sections with the rules of `rules`
/// (single_file_rules): ours, or dbmate's, where a marker counts only at the start of a line
/// (an indented one is SQL text) and the down marker is required. Throws ParseError naming the
/// file and line.
Migration parse_migration(const MigrationFileName& name, const std::filesystem::path& file,
                          std::string_view text, MigrationFormat rules = MigrationFormat::migrate);

/// Whether a line of a file of ours is its `-- migrate:up` marker, options or not, as
/// parse_migration reads it (anywhere on its line).
bool up_marker_line(std::string_view line);

/// What a single file's text says about the tool it was written for (detect_format's clues),
/// whatever it holds: a file that does not parse has clues too.
TextClues read_format_clues(std::string_view text);

/// Builds a migration from a golang-migrate pair: the whole up file is the up section, the whole
/// down file (if any) the down section; leading comments of the up file are its documentation.
Migration parse_migration_pair(const MigrationFileName& name, const std::filesystem::path& up_file,
                               std::string_view up_text,
                               const std::optional<std::filesystem::path>& down_file,
                               std::string_view down_text);

/// A section as stored in the state table's `down_sql`: its marker line (with options) and
/// body, so that a migration whose file is gone can still be reverted exactly.
std::string stored_section_text(const Section& section);

/// Reads back what stored_section_text wrote; `origin` names it in messages.
Section parse_stored_section(std::string_view text, const std::filesystem::path& origin);

}  // namespace migrate
