#include "diff/self_check.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_parser.hpp"
#include "schema/schema_dump.hpp"
#include "schema/schema_migration.hpp"

namespace migrate {

namespace {

/// What still differs between what a section left and what it should have, for the user.
std::string residue(const SchemaModel& actual, const SchemaModel& expected) {
  std::vector<std::string> lines;
  for (const std::string& line : schema_residue(actual, expected)) {
    lines.push_back("  - " + line);
  }
  return fmt::format("{}", fmt::join(lines, "\n"));
}

}  // namespace

SelfCheck self_check(DevDatabases& dev, const SchemaModel& from, const SchemaModel& to,
                     const std::string& migration_text, SchemaReadOptions options) {
  options.excluded_tables.emplace_back(kDevStateTable);
  SelfCheck check;
  std::unique_ptr<DevDatabase> database = dev.open();
  Connection& connection = database->connection();
  load_schema(connection, from);
  MigrationFileName name{*MigrationId::from_digits("1"), "generated"};
  RevisionGraph graph({parse_migration(name, "generated.sql", migration_text)});
  try {
    replay_migrations(connection, graph, parse_revision_spec("head"));
  } catch (const Error& e) {
    check.up = fmt::format("  - the up section failed: {}", e.what());
    return check;
  }
  check.up = residue(read_schema(connection, options), to);
  try {
    revert_migrations(connection, graph);
  } catch (const Error& e) {
    check.down = fmt::format("  - the down section failed: {}", e.what());
    return check;
  }
  check.down = residue(read_schema(connection, options), from);
  return check;
}

}  // namespace migrate
