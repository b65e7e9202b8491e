#include "commands/diff.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/dev_stop.hpp"
#include "commands/workspace.hpp"
#include "db/engine.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/generate_migration.hpp"
#include "diff/replay.hpp"
#include "diff/schema_source.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "schema/schema_migration.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "util/error.hpp"
#include "util/stop_signals.hpp"

namespace migrate {

namespace {

/// The engine both schemas are read with: a URL's, else the configured database's.
std::string common_engine(const SchemaSource& from, const SchemaSource& to, const Config& config) {
  std::string from_engine = source_engine(from, config);
  std::string to_engine = source_engine(to, config);
  if (from.kind == SchemaSource::Kind::database && to.kind != SchemaSource::Kind::database) {
    return from_engine;
  }
  if (to.kind == SchemaSource::Kind::database && from.kind != SchemaSource::Kind::database) {
    return to_engine;
  }
  if (from_engine != to_engine) {
    throw UsageError(fmt::format("{} is {} and {} is {}: compare two schemas of one engine",
                                 from.text, from_engine, to.text, to_engine));
  }
  return from_engine;
}

}  // namespace

/// `migrate diff` with neither FROM nor TO: the configured database against the replay of the
/// migrations it has applied (its state table's rows), on a development database. Exit 3, with
/// what differs, when something was changed by hand.
ExitCode run_live_drift(Context& context) {
  RevisionGraph graph = load_graph(context);
  TargetStatus view = read_database(context, graph);
  std::string database = view.url.redacted();
  if (!view.connection) {
    throw DbError(fmt::format("{} does not exist: there is no schema to compare", database));
  }
  SchemaReadOptions options = schema_read_options(tool_target(context.config));
  SchemaModel live = read_schema(*view.connection, options);
  DevDatabases dev(std::string(engine_of(view.url).name), context.config.dev_database_url);
  std::unique_ptr<DevDatabase> replay = dev.open();
  std::vector<std::size_t> heads = view.status.applied_heads(graph);
  for (std::size_t head : heads) {
    replay_migrations(replay->connection(), graph, parse_revision_spec(graph.at(head).id.text()));
  }
  options.excluded_tables.emplace_back(kDevStateTable);
  SchemaModel replayed = read_schema(replay->connection(), options);
  if (!view.status.orphans.empty()) {
    context.console.note(fmt::format(
        "{} applied migration{} of {} have no file here: what they made shows as drift",
        view.status.orphans.size(), view.status.orphans.size() == 1 ? "" : "s", database));
  }
  if (same_schema(replayed, live)) {
    context.console.info("No drift: {} is what its applied migrations build.", database);
    return ExitCode::success;
  }
  context.console.report("Drift: {} differs from what its applied migrations build:", database);
  for (const SchemaChange& change : diff_schemas(replayed, live).changes) {
    context.console.report("  - {}", change.description);
  }
  return ExitCode::check_failed;
}

ExitCode run_diff(Context& context, const DiffOptions& options) {
  if (options.from.empty() && options.to.empty()) {
    return run_live_drift(context);
  }
  if (options.from.empty() || options.to.empty()) {
    throw UsageError(
        "migrate-diff FROM TO: name both schemas (a database URL, migrations@head, or schema "
        "files), or neither, for the configured database's drift");
  }
  SchemaSource from = parse_schema_source(options.from, context.cwd);
  SchemaSource to = parse_schema_source(options.to, context.cwd);
  std::string engine = common_engine(from, to, context.config);
  DevDatabases dev(engine, context.config.dev_database_url);
  // Nothing is written until the end: a stop just ends the run (and the throwaway cluster).
  std::unique_ptr<StopSignals> stop_signals = end_on_stop(dev, context.console.tool());
  if (options.check) {  // the models alone: no migration needed, on any engine
    SchemaModel from_schema = load_schema_source(from, dev, context.config);
    SchemaModel to_schema = load_schema_source(to, dev, context.config);
    return same_schema(from_schema, to_schema) ? ExitCode::success : ExitCode::check_failed;
  }
  GeneratedMigration generated =
      generate_migration(dev, context.config, from, to, options.allow_destructive,
                         fmt::format("The schema changes from {} to {}.", from.text, to.text));
  for (const std::string& note : generated.notes) {
    context.console.note(note);
  }
  const SchemaMigration& migration = generated.migration;
  if (migration.empty()) {
    context.console.note(
        fmt::format("{} and {} have the same schema: no migration", from.text, to.text));
    if (context.json) {
      context.console.result(schema_migration_json(migration, from.text, to.text));
    }
    return ExitCode::success;
  }
  context.console.result(context.json ? schema_migration_json(migration, from.text, to.text)
                                      : generated.text);
  return ExitCode::success;
}

}  // namespace migrate
