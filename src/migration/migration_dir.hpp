#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/goose_envsub.hpp"
#include "migration/migration.hpp"
#include "migration/migration_format.hpp"

namespace migrate {

class ParseCache;

/// What decides the format a folder is read in: the user's choice, else detect_format, which
/// also needs to know whether the folder has a HEAD file.
struct FolderFormat {
  bool has_head_file = false;
  std::optional<FormatChoice> choice;  ///< `format =` or --format; nullopt: detected
  /// false: the down files of pairs (golang-migrate, Flyway's U files, name-ordered folders)
  /// are not read, for a command that neither shows nor runs a down section (current, upgrade
  /// --dry-run): such a migration's down section is marked Section::unread.
  bool down_files = true;
  /// true: the migrations come back as outlines (Migration::outline: no section's text), for
  /// commands that neither show nor run SQL. With a cache, outlines are what it remembers.
  bool outline = false;
};

/// What reading a goose folder needs from the caller.
struct GooseSettings {
  /// The variables `-- +goose ENVSUB ON` lines are expanded with; empty: they are kept as
  /// written (a reader that runs no SQL).
  VariableLookup environment;
  /// Go migrations (`<version>_<name>.go`) are skipped, each named in `warnings`, rather than
  /// refused (`--skip-go`, `skip-go = true`).
  bool skip_go = false;
  /// Where the Go migrations skipped are named; may be null when skip_go is false.
  std::vector<std::string>* warnings = nullptr;
};

/// Reads every migration in `dir`, sorted by id, in the folder's format (`choice`, else
/// detected: detect_format): our files and dbmate's (`<id>_<slug>.sql`), golang-migrate
/// pairs (`<id>_<slug>.up.sql` / `.down.sql`), and Flyway's `V<version>__<description>.sql`
/// with `U<version>__…` as the down section (in subfolders too, but hidden ones, as Flyway
/// scans them, and `tests/`, kDataTestsFolder; its callbacks are no migrations), and a
/// name-ordered folder's `<stem>.up.sql` / `.down.sql` (or `_up.sql` / `_down.sql`) pairs,
/// whose stem is the id, when `choice` says `stem` (never detected: such a folder looks like
/// golang-migrate pairs with duplicate versions). Other files (README, HEAD, hidden files) are
/// ignored; a ".sql" file that is not a valid migration is an error, never skipped. Throws
/// ConfigError when the folder does not exist; ParseError for one bad file, InvalidFiles for
/// several (with the ids two files share among them), each file's problem named, and at the end
/// how the folder was read when that is not plainly ours. In a goose folder, Go migrations are
/// refused, one problem each, unless `goose.skip_go`.
/// With a `listing`, every file it saw is added to it (subfolders' too, but hidden ones' and
/// HEAD), for flyway_files_not_run.
/// With `down_files` false, the down files of pairs are not read (FolderFormat::down_files).
/// With `outlines`, a cache of the work tree's files: each file's stamp (util/file_stamp:
/// what stat says, as git's index keeps it) is its content id there, so a file whose stamp
/// is remembered is neither read nor parsed, and every migration comes back as an outline
/// (FolderFormat::outline; with `down_files`, which an outline needs to know whether its down
/// section is blank). A stamp too recent to trust (ReadStart::racy) is read. Flyway's and
/// name-ordered folders are read whole, as without a cache. The caller saves the cache.
std::vector<Migration> read_migration_dir(const std::filesystem::path& dir,
                                          const std::optional<FormatChoice>& choice = {},
                                          const GooseSettings& goose = {},
                                          std::vector<std::filesystem::path>* listing = nullptr,
                                          bool down_files = true, ParseCache* outlines = nullptr);

/// The subfolder of a migrations folder that holds migrate-verify's data tests
/// (`tests/<id>.sql`): never read as migrations, in any format (Flyway's scanner would enter it).
inline constexpr std::string_view kDataTestsFolder = "tests";

/// Whether a '/'-separated path inside a migrations folder lies in its data tests folder.
bool in_data_tests_folder(std::string_view path);

/// The files of a Flyway folder that migrate does not run, by path, for notes: the folder's
/// owners should know.
struct FlywayFilesNotRun {
  /// Callbacks (beforeMigrate.sql, …), which Flyway runs around its commands and migrate does
  /// not run, and files that do not end in `.sql` (README.md, a script's `.sql.conf`), which
  /// Flyway does not read either.
  std::vector<std::filesystem::path> not_migrations;
  /// The baseline migrations but the newest (B3__… beside B5__…): a new database starts from
  /// the newest.
  std::vector<std::filesystem::path> older_baselines;
  /// Files named like migrations in the data tests folder (tests/V2__x.sql): Flyway would run
  /// them, migrate reads that folder as migrate-verify's. A data test may be named after its
  /// migration's stem (tests/V1__init.sql beside V1__init.sql): the caller, who has the
  /// migrations, tells those apart.
  std::vector<std::filesystem::path> in_data_tests;
};
/// Which of a Flyway folder's files (read_migration_dir's listing, in `dir`) migrate does not
/// run.
FlywayFilesNotRun flyway_files_not_run(const std::vector<std::filesystem::path>& listing,
                                       const std::filesystem::path& dir);

/// "duplicate id X: A and B. …": two migrations of a folder with one id; for two `.up.sql`
/// files, also how to read the folder as a name-ordered one (`format = stem`).
std::string duplicate_id_message(const MigrationId& id, const std::filesystem::path& first,
                                 const std::filesystem::path& second);

/// One file of a migrations folder wherever it lives (on disk, in a git tree or index): its
/// path, for the name and messages, and how to read it. `read` may be called from several
/// threads at once, each for its own file.
struct FolderFile {
  std::filesystem::path path;
  std::function<std::string()> read;
  /// What identifies the content without reading it (a git blob id); empty when nothing does.
  std::string content_id = {};
  /// Why an entry named like a migration cannot be read as one (a folder, a link to nothing):
  /// reported with the folder's other problems, never skipped.
  std::string problem = {};
  /// In a subfolder: read only in Flyway's format, whose scanner recurses into them.
  bool nested = false;
};

/// The migrations among `files`, sorted by id, with the same rules and errors as
/// read_migration_dir (which lists a folder on disk and calls this). With a `cache`, files
/// that have a content_id are looked up there before they are read, and what is parsed is
/// stored in it (the caller saves it). Each file is read at most once.
/// A file whose text depends on the environment (goose's ENVSUB) is never cached.
std::vector<Migration> read_migration_files(const std::vector<FolderFile>& files,
                                            const FolderFormat& folder = {},
                                            ParseCache* cache = nullptr,
                                            const GooseSettings& goose = {});

/// The one-line `HEAD` file in the migrations folder: the current head's file stem.
std::filesystem::path head_file_path(const std::filesystem::path& dir);
std::optional<std::string> read_head_file(const std::filesystem::path& dir);
void write_head_file(const std::filesystem::path& dir, const std::string& stem);
/// What write_head_file writes: the stem and a newline.
std::string head_file_text(const std::string& stem);

}  // namespace migrate
