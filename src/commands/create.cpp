#include "commands/create.hpp"

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

/// The clock's id, or the one after the newest existing id when that is not older.
MigrationId next_id(const RevisionGraph& graph, const Clock& clock, bool seconds) {
  MigrationId id = *MigrationId::from_digits(format_id_timestamp(clock.now(), seconds));
  for (const Migration& m : graph.migrations()) {
    if (!(m.id < id)) {
      id = m.id.next();
    }
  }
  return id;
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

  Migration migration;
  migration.id = next_id(graph, context.clock, context.config.id_seconds);
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
  migration.down->sql = options.empty ? "" : kDownGuide;

  std::filesystem::path path = dir / migration_file_name(migration.id, slug);
  create_new_file(path, write_migration(migration));
  write_head_file(dir, migration.stem());
  if (migration.depends && migration.depends->size() > 1) {
    context.console.note(fmt::format("there were {} heads; the new migration joins them",
                                     migration.depends->size()));
  }
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

}  // namespace migrate
