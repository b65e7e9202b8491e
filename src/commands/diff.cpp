#include "commands/diff.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/dev_stop.hpp"
#include "commands/workspace.hpp"
#include "db/engine.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/generate_migration.hpp"
#include "diff/live_drift.hpp"
#include "diff/replay.hpp"
#include "diff/schema_source.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "schema/schema_migration.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "util/error.hpp"

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

/// A FROM or TO: the configured schema-command (run in the project's root), or what
/// parse_schema_source reads.
SchemaSource diff_source(const std::string& text, const Context& context) {
  if (text == kSchemaCommandSource) {
    return command_source(context.config, context.config.root);
  }
  return parse_schema_source(text, context.cwd);
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
  DevDatabases dev(std::string(engine_of(view.url).name), context.config.dev_database_url);
  StopSignals stop_signals = abandon_on_stop(dev, "migrate-diff");
  LiveDrift drift = live_drift(*view.connection, view.status, graph, dev,
                               schema_read_options(tool_target(context.config)));
  if (drift.orphans > 0) {
    context.console.note(
        fmt::format("{} applied migration{} of {} have no file here: what they made shows as drift",
                    drift.orphans, drift.orphans == 1 ? "" : "s", database));
  }
  if (!drift.drifted()) {
    context.console.info("No drift: {} is what its applied migrations build.", database);
    return ExitCode::success;
  }
  context.console.report("Drift: {} differs from what its applied migrations build:", database);
  for (const std::string& change : drift.changes) {
    context.console.report("  - {}", change);
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
  SchemaSource from = diff_source(options.from, context);
  SchemaSource to = diff_source(options.to, context);
  std::string engine = common_engine(from, to, context.config);
  DevDatabases dev(engine, context.config.dev_database_url);
  // Ctrl-C or SIGTERM: nothing is written until the end, so the run just ends, but not before
  // a schema-command is killed and a throwaway cluster stopped and removed.
  StopSignals stop_signals = abandon_on_stop(dev, "migrate-diff");
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
