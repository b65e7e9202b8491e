#include "commands/create.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/dev_stop.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "db/engine.hpp"
#include "diff/dev_database.hpp"
#include "diff/generate_migration.hpp"
#include "diff/schema_source.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "migration/new_migration.hpp"
#include "output/console.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"
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

/// The model migrations are generated towards: the schema files of `schema`, or what
/// `schema-command` makes, run in the project's root.
SchemaSource model_of(const Context& context) {
  if (!context.config.schema_command.empty()) {
    return command_source(context.config, context.config.root);
  }
  std::string shown = display_path(context.config.schema_path, context.cwd).string();
  if (!std::filesystem::exists(context.config.schema_path)) {
    throw ConfigError(fmt::format("schema = {} in migrate.conf: no such file or folder", shown));
  }
  return {SchemaSource::Kind::files, shown, context.config.schema_path};
}

/// With `schema` or `schema-command` configured: `migration`'s sections and documentation from
/// what the model says beyond what the migrations build (schema layer: generated, tried both
/// ways). False, with a note, when they agree: nothing to write.
bool fill_generated(Context& context, const CreateOptions& options, Migration& migration) {
  SchemaSource from{SchemaSource::Kind::migrations, "migrations@head",
                    context.config.migrations_dir, "head"};
  SchemaSource to = model_of(context);
  const std::string& shown = to.text;
  DatabaseUrl url = configured_database(context);
  DevDatabases dev(std::string(engine_of(url).name), context.config.dev_database_url);
  try {
    if (std::unique_ptr<GitRepo> repo = GitRepo::discover(context.config.migrations_dir)) {
      dev.keep_replays_in(replay_snapshot_file(*repo));  // the gate's: each starts from the other's
    }
  } catch (const Error&) {
    // A repository git cannot read: generated without the snapshot, as outside one.
  }
  // Ctrl-C or SIGTERM while the model is made (or a question waits): nothing is written yet;
  // a schema-command is killed, with what it started.
  StopSignals stop_signals = abandon_on_stop(dev, "migrate-create");
  // A drop and an add that look like a rename are asked about when a person is there.
  RenameQuestion ask;
  if (context.console.can_ask() && !context.json) {
    ask = [&context](const PossibleRename& rename) {
      return context.console.ask_yes_no(rename_question(rename));
    };
  }
  GeneratedMigration generated = generate_migration(
      dev, context.config, from, to, options.allow_destructive, migration.title(), ask);
  for (const std::string& note : generated.notes) {
    context.console.note(note);
  }
  if (generated.migration.empty()) {
    context.console.info("Nothing to generate: {} and the migrations agree.", shown);
    return false;
  }
  fill_generated_file(migration, generated.migration, shown);
  return true;
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
  // Taken before the folder is read: its id is chosen from what the folder holds.
  FileTransaction files(context.config.migrations_dir);
  files.lock();
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
  bool has_model = !context.config.schema_path.empty() || !context.config.schema_command.empty();
  if (has_model && !options.empty) {
    if (format != MigrationFormat::migrate) {
      throw UsageError(fmt::format(
          "migrations are generated in migrate's own format, and {} is {}'s: use --empty for a "
          "blank one",
          display_dir(context).string(), format_name(format)));
    }
    if (!fill_generated(context, options, migration)) {
      return ExitCode::success;
    }
    std::filesystem::path path = write_new_migration(context, files, migration, true, format);
    context.console.result(path.string() + "\n");
    return ExitCode::success;
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
  std::filesystem::path path = write_new_migration(context, files, migration, true, format);
  if (migration.depends && migration.depends->size() > 1) {
    context.console.note(fmt::format("there were {} heads; the new migration joins them",
                                     migration.depends->size()));
  }
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

}  // namespace migrate
