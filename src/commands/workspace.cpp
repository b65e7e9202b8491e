#include "commands/workspace.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <optional>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "config/environment.hpp"
#include "db/open_database.hpp"
#include "git/git_dir.hpp"
#include "migration/folder_snapshot.hpp"
#include "migration/migration_dir.hpp"
#include "migration/new_migration.hpp"
#include "migration/parse_cache.hpp"
#include "output/console.hpp"
#include "target/target.hpp"
#include "util/file.hpp"
#include "util/file_stamp.hpp"
#include "util/file_transaction.hpp"
#include "util/parallel.hpp"
#include "util/stop_request.hpp"
#include "util/text.hpp"

namespace migrate {

std::filesystem::path display_dir(const Context& context) {
  return display_path(context.config.migrations_dir, context.cwd);
}

namespace {

/// The files of a Flyway folder that migrate does not run (among `listing`), named in notes.
void note_flyway_files_not_run(const Context& context,
                               const std::vector<std::filesystem::path>& listing,
                               const std::vector<Migration>& migrations) {
  std::filesystem::path dir = display_dir(context);
  FlywayFilesNotRun files = flyway_files_not_run(listing, dir);
  // tests/V1__init.sql beside V1__init.sql is that migration's data test.
  std::erase_if(files.in_data_tests, [&migrations](const std::filesystem::path& path) {
    return std::any_of(migrations.begin(), migrations.end(),
                       [&path](const Migration& m) { return m.stem() == path.stem().string(); });
  });
  auto listed = [&](const std::vector<std::filesystem::path>& paths) {
    return shortened_list(paths.size(), 5,
                          [&](std::size_t i) { return paths[i].lexically_relative(dir).string(); });
  };
  if (!files.not_migrations.empty()) {
    context.console.note(fmt::format(
        "{}/: not migrations, so not run: {} (Flyway reads no file but .sql ones, and runs its "
        "callbacks, such as beforeMigrate.sql, around its commands: migrate does not)",
        dir.string(), listed(files.not_migrations)));
  }
  if (!files.in_data_tests.empty()) {
    context.console.warning(fmt::format(
        "{}/{}/ holds migrate-verify's data tests, so these files named like migrations are not "
        "run: {}. Flyway would run them: move them out of {}/ if they are migrations",
        dir.string(), kDataTestsFolder, listed(files.in_data_tests), kDataTestsFolder));
  }
  if (!files.older_baselines.empty()) {
    context.console.note(fmt::format(
        "{}/: older baseline migrations, not run: {} (a new database starts from the newest "
        "baseline, as in Flyway)",
        dir.string(), listed(files.older_baselines)));
  }
}

/// MIGRATE_TRACE's line about where the outlines came from.
void trace_outlines(const Context& context, std::size_t count, std::size_t remembered,
                    std::string_view from) {
  if (context.environment.get("MIGRATE_TRACE")) {  // like GIT_TRACE: for whoever wonders why
    context.console.note(
        fmt::format("trace: {}/: {} migration{}, {} of them from {}, {} read from their files",
                    display_dir(context).string(), count, count == 1 ? "" : "s", remembered, from,
                    count - remembered));
  }
}

/// Reading::outline with a cache file: the folder's snapshot while it still stands for the
/// folder (nothing but a listing and a stat per file); else the files through the per-file
/// cache beside it (a file read only when its stamp changed), and a new snapshot.
std::vector<Migration> read_outlines(const Context& context, const std::filesystem::path& cache,
                                     const GooseSettings& goose,
                                     std::vector<std::filesystem::path>& listing,
                                     HelperThreads* helpers) {
  const std::filesystem::path dir = display_dir(context);
  const std::filesystem::path snapshot = cache.string() + ".folder";
  // Whatever the reading depends on besides the files: outlines hold paths as written here.
  const std::string settings =
      fmt::format("dir={} format={} skip-go={}", dir.string(),
                  context.config.format ? format_name(context.config.format->format) : "detected",
                  context.config.skip_go);
  const ReadStart start;  // before the first stat
  const FolderSnapshot kept(snapshot, settings);
  std::optional<FolderState> state = folder_state(dir, start, kept.listing(), helpers);
  if (state) {
    if (std::optional<std::vector<Migration>> migrations = kept.migrations(*state, helpers)) {
      if (kept.folder_moved(*state)) {
        kept.refresh(snapshot, *state);
      }
      trace_outlines(context, migrations->size(), migrations->size(),
                     fmt::format("the folder's snapshot {} ({})", snapshot.string(),
                                 state->listing_kept ? "its listing kept" : "the folder listed"));
      return std::move(*migrations);
    }
  }
  ParseCache outlines = ParseCache::load(cache);
  std::vector<Migration> migrations = read_migration_dir(dir, context.config.format, goose,
                                                         &listing, /*down_files=*/true, &outlines);
  outlines.save_if_worth(cache);
  // The snapshot may stand for the folder when every migration went through the per-file
  // cache (none racy, none expanded from the environment), the folder is neither Flyway's nor
  // name-ordered (read whole, with notes a snapshot would not repeat), and nothing changed
  // while it was read.
  bool whole_format =
      !migrations.empty() && (migrations.front().format == MigrationFormat::flyway ||
                              migrations.front().format == MigrationFormat::stem);
  if (state && !whole_format && outlines.used_count() == migrations.size()) {
    if (std::optional<FolderState> after = folder_state(dir, start);
        after && after->entries == state->entries) {
      save_folder_snapshot(snapshot, *state, settings, migrations);
    }
  }
  trace_outlines(context, migrations.size(), std::min(outlines.kept_count(), migrations.size()),
                 fmt::format("the outline cache {} (by their files' stat)", cache.string()));
  return migrations;
}

}  // namespace

std::optional<std::filesystem::path> outline_cache_file(const Context& context) {
  // One file per folder (a repository may hold several projects' folders): a shared one
  // would drop each folder's entries whenever the other is read.
  if (std::optional<std::filesystem::path> file =
          repository_cache_file(context.config.migrations_dir, "outlines")) {
    return file;
  }
  try {
    DatabaseUrl url = configured_database(context);
    std::error_code error;
    if (!url.path.empty() && !url.memory && std::filesystem::is_regular_file(url.path, error)) {
      return url.path.string() + ".migrate-outlines";  // a command that reads creates nothing
    }
  } catch (const ConfigError&) {
    // No database configured that parses: the command says so itself, if it needs one.
  }
  // PostgreSQL outside a repository (a deploy's copy without .git): the user's cache folder.
  return user_cache_file(context.config.migrations_dir, "outlines");
}

std::vector<Migration> read_migrations(const Context& context, Reading reading,
                                       HelperThreads* helpers) {
  Recovery recovery = recover_file_transaction(context.config.migrations_dir);
  if (recovery == Recovery::recovered) {
    context.console.note(fmt::format(
        "{}/: put back as it was before a migrate command that was stopped while it changed "
        "files there (the journal it left, .migrate-transaction, said what to undo)",
        display_dir(context).string()));
  } else if (recovery == Recovery::stuck) {
    context.console.warning(fmt::format(
        "{}/.migrate-transaction: a migrate command that was stopped while it changed files "
        "there left it, and it cannot be undone here (it names files that are missing, or it "
        "was copied from another folder): the folder may hold half of that change. Check the "
        "files it names, then remove it",
        display_dir(context).string()));
  }
  std::vector<std::string> warnings;
  GooseSettings goose{
      [&context](std::string_view name) { return context.environment.get_even_empty(name); },
      context.config.skip_go, &warnings};
  std::vector<std::filesystem::path> listing;
  std::optional<std::filesystem::path> cache_file =
      reading == Reading::outline ? outline_cache_file(context) : std::nullopt;
  // Outlines need their down files too (whether they are blank: history's "irreversible").
  std::vector<Migration> migrations =
      cache_file ? read_outlines(context, *cache_file, goose, listing, helpers)
                 : read_migration_dir(display_dir(context), context.config.format, goose, &listing,
                                      reading != Reading::up_sql);
  for (const std::string& warning : warnings) {
    context.console.warning(warning);
  }
  if (!migrations.empty() && migrations.front().format == MigrationFormat::flyway) {
    note_flyway_files_not_run(context, listing, migrations);
  }
  return migrations;
}

RevisionGraph load_graph(const Context& context, Reading reading, HelperThreads* helpers) {
  return RevisionGraph(read_migrations(context, reading, helpers));
}

DatabaseUrl configured_database(const Context& context) {
  return target_url(tool_target(context.config));
}

TargetStatus read_database(const Context& context, const RevisionGraph& graph,
                           ConnectOptions options) {
  return read_target_status(tool_target(context.config), graph, options);
}

GraphAndDatabase load_graph_and_database(const Context& context, Reading reading,
                                         ConnectOptions options) {
  // A folder that does not load stops the database's read (a wait for a lock may last a
  // minute): its error comes at once, as when the folder was read first. Where no thread can
  // be started, the folder is read after the database (std::launch::deferred).
  StopRequest stop;
  // The folder's helpers start here, before this thread loads the database's engine: started
  // during that load, each would wait for its end (HelperThreads).
  HelperThreads helpers;
  std::future<RevisionGraph> graph =
      std::async(std::launch::async | std::launch::deferred, [&context, reading, &stop, &helpers] {
        try {
          return load_graph(context, reading, &helpers);
        } catch (...) {
          stop.request("the migrations did not load");
          throw;
        }
      });
  const Target target = tool_target(context.config);
  std::optional<TargetRows> rows;
  std::exception_ptr database_error;
  try {
    rows = read_target_rows(target, options, &stop);
  } catch (...) {
    database_error = std::current_exception();
  }
  RevisionGraph loaded = graph.get();  // its error first
  if (database_error) {
    std::rethrow_exception(database_error);
  }
  TargetStatus view = reconcile_target(target, std::move(*rows), loaded);
  return {std::move(loaded), std::move(view)};
}

MigrationId new_migration_id(const Context& context, const RevisionGraph& graph) {
  return new_migration_id(context.clock.now(), context.config.id_seconds, graph.migrations());
}

MigrationId id_after(const Context& context, const MigrationId& after) {
  return id_after(context.clock.now(), context.config.id_seconds, after);
}

std::filesystem::path stage_new_migration(const Context& context, const Migration& migration,
                                          bool becomes_head, FileTransaction& files) {
  return stage_new_migration(display_dir(context), migration, becomes_head, files);
}

std::filesystem::path write_new_migration(const Context& context, FileTransaction& files,
                                          const Migration& migration, bool becomes_head,
                                          MigrationFormat format) {
  std::filesystem::path path =
      stage_new_migration(display_dir(context), migration, becomes_head, files, format);
  files.apply();
  files.keep();
  return path;
}

}  // namespace migrate
