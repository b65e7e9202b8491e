#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace migrate {

/// The tool a migrations folder is written for, which decides how its files are read.
enum class MigrationFormat {
  migrate,         ///< our own files: `-- depends:`, markers anywhere, empty down = irreversible
  dbmate,          ///< dbmate's: markers at the start of a line, empty down = reverts nothing
  golang_migrate,  ///< `<version>_<title>.up.sql` / `.down.sql` pairs
  goose,           ///< `-- +goose Up` files, `<version>_<name>.sql`; empty down = reverts nothing
  flyway,          ///< `V<version>__<description>.sql`, `U<version>__…` its down
  stem,  ///< name-ordered `<stem>.up.sql` / `_up.sql` folders (maragudk/migrate): the stem is the
         ///< id
};

/// The name `format =` and `--format` take: "migrate", "dbmate", "golang-migrate", …
std::string_view format_name(MigrationFormat format);
/// "migrate's own format", "dbmate's format", …: for messages.
std::string format_description(MigrationFormat format);
/// The format a name means (in any case: "DBMate" too), or nullopt for a name that is none.
std::optional<MigrationFormat> format_from_name(std::string_view name);
/// "migrate, dbmate, golang-migrate, goose, flyway or stem": the names a user may choose, for
/// messages.
std::string readable_format_names();

/// The rules a single `<id>_<slug>.sql` file of a folder in `format` is read with: dbmate's in a
/// dbmate folder, goose's in a goose folder, ours otherwise (golang-migrate has no such files; a
/// folder that mixes them with pairs has always read them as ours).
MigrationFormat single_file_rules(MigrationFormat format);

/// Whether a migration read with `format`'s rules whose down section is empty (or only
/// comments) is reverted by running it, which does nothing, and removing its row (dbmate; goose,
/// where a missing Down is an empty one; a name-ordered folder's empty down file, which
/// maragudk/migrate runs), rather than refused as irreversible (ours, and golang-migrate's for
/// now).
bool empty_down_reverts_nothing(MigrationFormat format);

/// Whether the format's own tool sends each file as it is, with no transaction around it, so that
/// a file whose statement cannot run in a transaction (CREATE INDEX CONCURRENTLY) works there:
/// golang-migrate; and Flyway, which runs a file whose statements all cannot outside one (and
/// refuses one that mixes both kinds). Such a section runs outside one here too
/// (run/format_transactions.hpp).
bool runs_outside_transaction_when_needed(MigrationFormat format);

/// Where a migration of this format keeps the SQL that applies it, for messages: "the SQL after
/// '-- migrate:up'", "the SQL after '-- +goose Up'", "its .up.sql file", "its V file", "its up
/// file".
std::string_view up_section_place(MigrationFormat format);

/// A format the user chose, and where: `--format` or `format =` in migrate.conf.
struct FormatChoice {
  MigrationFormat format = MigrationFormat::migrate;
  std::string source;  ///< "--format", "format = in /repo/migrate.conf": for messages
};

/// What a single `.sql` file's text says about the tool it was written for (read by
/// read_format_clues in migration_parser.hpp).
struct TextClues {
  bool depends_or_replaces = false;   ///< a `-- depends:` or `-- replaces:` header line (ours)
  bool up_marker = false;             ///< `-- migrate:up` at the start of a line
  bool down_marker = false;           ///< `-- migrate:down` at the start of a line
  bool indented_down_marker = false;  ///< `-- migrate:down` after white space
  bool goose_annotation = false;      ///< `-- +goose Up` (or another `-- +goose` annotation)
  /// A `-- +goose ENVSUB …` annotation: the text that runs depends on the environment, so
  /// the parse cache never keeps the file.
  bool goose_envsub = false;

  bool operator==(const TextClues&) const = default;
};

/// One file of a folder as detection sees it: its name, and for a single `<id>_<slug>.sql`
/// file, what its text says.
struct FileClues {
  std::string name;  ///< the file name, without its folder
  TextClues text;
};

/// The format detect_format chose, and why (for messages: "it has a HEAD file, …").
struct FormatDetection {
  MigrationFormat format = MigrationFormat::migrate;
  std::string reason;  ///< empty when nothing in the folder says: ours, by default
};

/// The format a folder is written for, from its files alone, first rule that holds:
/// 1. migrations/HEAD, or a file with a `-- depends:` / `-- replaces:` line: migrate (migrate
///    writes them);
/// 2. a file with `-- migrate:up` at the start of a line and no `-- migrate:down` at all:
///    migrate (dbmate refuses such a file; in our format the down section is optional);
/// 3. a golang-migrate `.up.sql` / `.down.sql` file: golang-migrate (single files beside them
///    are read with our rules, as they always were);
/// 4. a file with both markers at the start of a line: dbmate;
/// 5. a `-- +goose` annotation: goose; a Flyway name (`V1__init.sql`, `R__views.sql`): flyway;
/// 6. anything else (an empty folder): migrate.
/// Misjudging ours as dbmate's would make empty down sections revert nothing, so every sign of
/// ours wins; `format =` settles any folder detection gets wrong.
FormatDetection detect_format(bool has_head_file, std::span<const FileClues> files);

/// Whether a file name is Flyway's: `V<version>__…`, `U<version>__…`, `B<version>__…` or
/// `R__…`, ending in `.sql`.
bool flyway_file_name(std::string_view name);

/// For a file that did not parse: what it looks like if it was written for another tool
/// (a Flyway name, a goose annotation, a name-ordered folder's `_up.sql` or `<name>.up.sql`
/// without a leading version), as a sentence to add to its error; empty otherwise.
std::string other_tool_hint(const FileClues& file);

}  // namespace migrate
