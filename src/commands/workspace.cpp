#include "commands/workspace.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "db/open_database.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "target/target.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"
#include "util/text.hpp"

namespace migrate {

std::filesystem::path display_dir(const Context& context) {
  return display_path(context.config.migrations_dir, context.cwd);
}

RevisionGraph load_graph(const Context& context) {
  return RevisionGraph(read_migration_dir(display_dir(context)));
}

DatabaseUrl configured_database(const Context& context) {
  return target_url(tool_target(context.config));
}

TargetStatus read_database(const Context& context, const RevisionGraph& graph,
                           ConnectOptions options) {
  return read_target_status(tool_target(context.config), graph, options);
}

std::string list_stems(const RevisionGraph& graph, const std::vector<std::size_t>& migrations,
                       std::size_t shown) {
  return shortened_list(migrations.size(), shown,
                        [&](std::size_t i) { return graph.at(migrations[i]).stem(); });
}

MigrationId new_migration_id(const Context& context, const RevisionGraph& graph) {
  MigrationId id = *MigrationId::from_digits(
      format_id_timestamp(context.clock.now(), context.config.id_seconds));
  for (const Migration& m : graph.migrations()) {
    if (!(m.id < id)) {
      id = m.id.next();
    }
  }
  return id;
}

MigrationId id_after(const Context& context, const MigrationId& after) {
  // golang-migrate's sequence numbers (000042) stay a sequence; timestamps stay timestamps.
  std::size_t width = after.text().size();
  if (width != 12 && width != 14) {
    return after.next();
  }
  MigrationId now = *MigrationId::from_digits(
      format_id_timestamp(context.clock.now(), context.config.id_seconds));
  return after < now ? now : after.next();
}

std::filesystem::path stage_new_migration(const Context& context, const Migration& migration,
                                          bool becomes_head, FileTransaction& files) {
  std::filesystem::path dir = display_dir(context);
  std::filesystem::path path = dir / migration_file_name(migration.id, migration.slug);
  files.create(path, write_migration(migration));
  if (becomes_head) {
    files.write(head_file_path(dir), head_file_text(migration.stem()));
  }
  return path;
}

std::filesystem::path write_new_migration(const Context& context, const Migration& migration,
                                          bool becomes_head) {
  FileTransaction files;
  std::filesystem::path path = stage_new_migration(context, migration, becomes_head, files);
  files.apply();
  files.keep();
  return path;
}

std::string describe_position(const RevisionGraph& graph, const DatabaseStatus& status) {
  std::vector<std::size_t> heads = status.applied_heads(graph);
  if (heads.empty()) {
    return "nothing applied";
  }
  return list_stems(graph, heads);
}

}  // namespace migrate
