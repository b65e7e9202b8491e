#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration_format.hpp"
#include "migration/migration_id.hpp"
#include "util/shared_path.hpp"
#include "util/sql_text.hpp"

namespace migrate {

/// Options written after a section marker: `-- migrate:up transaction:false foreign_keys:off`.
struct SectionOptions {
  /// false: run statement by statement outside a transaction, recording progress.
  bool transaction = true;
  /// false (`foreign_keys:off`, SQLite): foreign keys off around the transaction, checked
  /// before commit; for table rebuilds.
  bool foreign_keys = true;

  bool operator==(const SectionOptions&) const = default;
};

/// The up or the down part of a migration.
struct Section {
  std::string sql;  ///< the body, without its marker line or surrounding blank lines
  SectionOptions options;
  SharedPath file;     ///< where it was read from (golang-migrate keeps down apart)
  int first_line = 1;  ///< the file's line number of the body's first line
  /// A section whose text was not read: `sql` is not its text. Either a down section in a
  /// file of its own (FolderFormat::down_files), or any section of a migration read as an
  /// outline (FolderFormat::outline), which still knows whether it is blank.
  bool unread = false;
  /// An unread section's blank(), when its outline knows it.
  std::optional<bool> unread_blank;

  /// True when the body holds nothing but white space and comments. Throws std::logic_error
  /// for an unread section that does not know.
  bool blank() const;
  bool operator==(const Section& other) const {
    return sql == other.sql && options == other.options;
  }
};

/// A reference to another migration in `-- depends:` or `-- replaces:`.
struct MigrationRef {
  MigrationId id;
  std::string text;  ///< as written: an id or a file stem
  int line = 0;      ///< where it was written
  bool operator==(const MigrationRef& other) const { return id == other.id; }
};

/// "<id>_<slug>", or just the id when there is no slug: a migration file's name without its
/// extension.
std::string migration_stem(const MigrationId& id, std::string_view slug);

/// One migration file, parsed.
struct Migration {
  MigrationId id;
  std::string slug;              ///< the file name after "<id>_", without extension
  SharedPath file;               ///< the file (for golang-migrate pairs, the .up.sql)
  std::vector<std::string> doc;  ///< the documentation comment, without "-- "
  /// Explicit parents; nullopt when the file has no `depends:` line, which means "the
  /// migration just before me in id order".
  std::optional<std::vector<MigrationRef>> depends;
  std::vector<MigrationRef> replaces;  ///< set on a squashed migration
  Section up;
  std::optional<Section> down;  ///< nullopt when there is no `-- migrate:down`
  std::string checksum;         ///< "sha256:<hex>" of the normalised up body
  /// The rules it was read with: ours, dbmate's (a single file in a dbmate folder) or
  /// golang-migrate's (a pair). Decides what an empty down section means.
  MigrationFormat format = MigrationFormat::migrate;
  /// A Flyway repeatable (`R__<description>.sql`; its id a name): outside the graph, with no
  /// down section, run after the versioned migrations whenever its checksum differs from the
  /// one it was last applied with (RevisionGraph::repeatables).
  bool repeatable = false;
  /// A Flyway baseline migration (`B<version>__<description>.sql`; its id a name, B5): it
  /// replaces the versioned migrations up to its version, as a squash does, but is never
  /// recorded where some of them ran (Flyway ignores it there).
  bool baseline = false;

  /// "<id>_<slug>" (or just the id when there is no slug): the file name without extension.
  std::string stem() const;
  /// Where it stands among versions: its id, but a Flyway baseline's version (B5: 5).
  MigrationId version() const;
  /// The first line of the documentation, else the slug with spaces.
  std::string title() const;
  /// The files it was read from: `file`, and the down file of a golang-migrate pair.
  std::vector<std::filesystem::path> files() const;
  /// False when the down section is missing or blank, so downgrading through it is refused;
  /// except when the up section is blank too (a merge migration): nothing to undo; and except
  /// for a blank down section in a format where that reverts nothing (dbmate's).
  bool reversible() const;
  /// True when the down section is there but blank, and that means irreversible (our format):
  /// what a refusal explains, since a dbmate folder read as ours gets it.
  bool empty_down_irreversible() const;
  /// The migration without its sections' text (each Section::unread, knowing whether it was
  /// blank): what commands that show no SQL keep, thousands of times over.
  Migration outline() const;
};

}  // namespace migrate
