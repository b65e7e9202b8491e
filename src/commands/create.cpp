#include "commands/create.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "output/console.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr const char* kUpGuide = "-- The SQL that applies the change.";
constexpr const char* kDownGuide =
    "-- The SQL that reverts it. Leave this section empty if it cannot be reverted.";
constexpr const char* kDbmateDownGuide =
    "-- The SQL that reverts it. Left empty, a downgrade reverts nothing (dbmate's rule).";

/// Whether the folder is read in dbmate's format because its files say so (not `format =`).
bool detected_dbmate(const Context& context, const RevisionGraph& graph) {
  const std::vector<Migration>& existing = graph.migrations();
  return !context.config.format &&
         std::any_of(existing.begin(), existing.end(),
                     [](const Migration& m) { return m.format == MigrationFormat::dbmate; });
}

/// A new file's `-- depends:` line and the HEAD file make a folder detected as dbmate's
/// migrate's from then on, where markers may be indented and an empty down section means
/// irreversible. Refuses (before anything is written) when the folder would not read so;
/// else returns the note that says it.
std::string leaving_dbmate(const Context& context) {
  std::filesystem::path dir = display_dir(context);
  std::string how =
      "To keep dbmate's rules, say `format = dbmate` in migrate.conf's [migrate] "
      "section";
  try {
    read_migration_dir(dir, FormatChoice{MigrationFormat::migrate, "migrate-create's HEAD file"});
  } catch (const Error& e) {
    throw UsageError(fmt::format(
        "{}/ is read in dbmate's format, and a new migration (its '-- depends:' line, the HEAD "
        "file) would make it migrate's, in which it does not read:\n{}\n{}, then create it "
        "again. Nothing was written",
        dir.string(), e.what(), how));
  }
  return fmt::format(
      "{}/ was read in dbmate's format; this file's '-- depends:' line and {} make it migrate's "
      "from now on, where an empty down section means irreversible. {}",
      dir.string(), head_file_path(dir).string(), how);
}

/// A new file in migrate's format (its '-- depends:' line, the HEAD file) would make a goose
/// folder migrate's, where none of its files read: refused, before anything is written, until
/// migrate-create writes goose's files.
void refuse_goose_folder(const Context& context, const RevisionGraph& graph) {
  const std::vector<Migration>& existing = graph.migrations();
  bool goose = (context.config.format && context.config.format->format == MigrationFormat::goose) ||
               std::any_of(existing.begin(), existing.end(),
                           [](const Migration& m) { return m.format == MigrationFormat::goose; });
  if (goose) {
    throw UsageError(fmt::format(
        "{}/ is read in goose's format, and migrate-create does not write goose's files yet: a "
        "file of migrate's would make the folder migrate's, where its goose files do not read. "
        "Write the next <version>_<name>.sql with '-- +goose Up' yourself (or with goose "
        "create). Nothing was written",
        display_dir(context).string()));
  }
}

}  // namespace

ExitCode run_create(Context& context, const CreateOptions& options) {
  std::string title(trim(options.message));
  if (title.empty()) {
    throw UsageError("a migration needs a message: migrate-create \"add phone to users\"");
  }
  std::string slug = make_slug(title);
  std::filesystem::path dir = display_dir(context);
  if (!std::filesystem::exists(dir)) {
    std::filesystem::create_directories(dir);
    context.console.note(fmt::format("created the migrations folder {}", dir.string()));
  }
  RevisionGraph graph = load_graph(context);
  refuse_goose_folder(context, graph);
  std::string leaving = detected_dbmate(context, graph) ? leaving_dbmate(context) : "";
  bool dbmate_rules =
      context.config.format && context.config.format->format == MigrationFormat::dbmate;

  Migration migration;
  migration.id = new_migration_id(context, graph);
  migration.slug = slug;
  migration.doc = {title};
  if (!graph.empty()) {
    migration.depends.emplace();
    for (std::size_t head : graph.heads()) {
      migration.depends->push_back({graph.at(head).id, graph.at(head).stem(), 0});
    }
  }
  migration.up.sql = options.empty ? "" : kUpGuide;
  migration.down.emplace();
  migration.down->sql = options.empty ? "" : dbmate_rules ? kDbmateDownGuide : kDownGuide;

  std::filesystem::path path = write_new_migration(context, migration);
  if (migration.depends && migration.depends->size() > 1) {
    context.console.note(fmt::format("there were {} heads; the new migration joins them",
                                     migration.depends->size()));
  }
  if (!leaving.empty()) {
    context.console.note(leaving);
  }
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

}  // namespace migrate
