#include "commands/create.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "migration/new_migration.hpp"
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
constexpr const char* kPairDownGuide =
    "-- The SQL that reverts it. Leave this file empty if it cannot be reverted.";

/// The format the folder's new files are written in: the one configured, else that of its
/// newest migration (a folder of golang-migrate pairs gets a pair, a dbmate folder a dbmate
/// file), else migrate's own.
MigrationFormat folder_format(const Context& context, const RevisionGraph& graph) {
  if (context.config.format) {
    return context.config.format->format;
  }
  const std::vector<Migration>& existing = graph.migrations();
  auto newest =
      std::max_element(existing.begin(), existing.end(),
                       [](const Migration& a, const Migration& b) { return a.id < b.id; });
  return newest == existing.end() ? MigrationFormat::migrate : newest->format;
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
  MigrationFormat format = folder_format(context, graph);
  // For the formats where an empty down section reverts nothing (dbmate's, goose's).
  const std::string reverts_nothing_guide = fmt::format(
      "-- The SQL that reverts it. Left empty, a downgrade reverts nothing ({}'s rule).",
      format_name(format));

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
  migration.down->sql = options.empty                               ? ""
                        : empty_down_reverts_nothing(format)        ? reverts_nothing_guide
                        : format == MigrationFormat::golang_migrate ? kPairDownGuide
                        : format == MigrationFormat::flyway         ? kPairDownGuide
                                                                    : kDownGuide;

  if (format == MigrationFormat::stem) {  // its id is its whole stem, in the folder's style
    name_stem_migration(migration, graph.migrations());
  }
  std::filesystem::path path = write_new_migration(context, migration, true, format);
  if (migration.depends && migration.depends->size() > 1) {
    context.console.note(fmt::format("there were {} heads; the new migration joins them",
                                     migration.depends->size()));
  }
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

}  // namespace migrate
