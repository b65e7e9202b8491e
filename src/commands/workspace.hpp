#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "target/target_status.hpp"

namespace migrate {

class FileTransaction;
class HelperThreads;

struct Context;

/// The migrations folder as messages name it: relative to the working directory when inside it.
std::filesystem::path display_dir(const Context& context);

/// How much of each migration a command reads:
/// - sql: all of it;
/// - up_sql: not the down files of pairs (FolderFormat::down_files), for a command that shows
///   or runs no down section;
/// - outline: no SQL (Migration::outline), for a command that shows none: its outlines are
///   remembered by the files' stamps (outline_cache_file), so a warm run reads no migration.
///   Where there is no cache, or for Flyway's and name-ordered folders, the migrations come
///   back whole: never less than an outline.
enum class Reading { sql, up_sql, outline };

/// The migrations of the configured folder, read in its format (configured, else detected).
/// A warm outline reading spreads its work over `helpers` when given.
std::vector<Migration> read_migrations(const Context& context, Reading reading = Reading::sql,
                                       HelperThreads* helpers = nullptr);

/// Reads and validates the migration set of the configured folder.
RevisionGraph load_graph(const Context& context, Reading reading = Reading::sql,
                         HelperThreads* helpers = nullptr);

/// Where Reading::outline keeps its outlines of the folder's files: in .git/migrate/outlines/
/// of the repository holding the folder (a file per folder), else beside the configured
/// SQLite database file once it exists, else in the user's cache folder (git_dir's
/// user_cache_file); nullopt when there is none of them.
std::optional<std::filesystem::path> outline_cache_file(const Context& context);

/// The configured database URL, parsed (relative sqlite: paths resolved).
DatabaseUrl configured_database(const Context& context);

/// The configured database (tool_target), opened for reading, with its status against
/// `graph` (read_target_status). A database that does not exist yet is not created: it has
/// nothing applied. `options` sets the timeouts; the database is opened read-only whatever
/// they say.
TargetStatus read_database(const Context& context, const RevisionGraph& graph,
                           ConnectOptions options = {});

/// The configured folder's graph and the configured database's status against it.
struct GraphAndDatabase {
  RevisionGraph graph;
  TargetStatus view;
};

/// load_graph and read_database at once: the folder is read on a thread of its own while this
/// one opens the database and reads its state table, each about half of what a read command
/// waits for. A folder that does not load is reported first, alone, as when they are read in
/// turn: it cancels the state table's read (a lock wait included; a connection attempt still
/// runs to its end). Where no thread can be started, they are read in turn.
GraphAndDatabase load_graph_and_database(const Context& context, Reading reading,
                                         ConnectOptions options = {});

/// The id for a new migration in the folder, at the context's clock and id-format
/// (migration/new_migration).
MigrationId new_migration_id(const Context& context, const RevisionGraph& graph);

/// The id for a migration that must come after `after`.
MigrationId id_after(const Context& context, const MigrationId& after);

/// Writes a new migration's files into the folder as a folder of `format` has them (never over
/// an existing one), points migrations/HEAD at it when it is the new head of migrate's own
/// format, and returns the (first) file's path.
std::filesystem::path write_new_migration(const Context& context, FileTransaction& files,
                                          const Migration& migration, bool becomes_head = true,
                                          MigrationFormat format = MigrationFormat::migrate);
/// The same, staged in `files` with a command's other changes, to be applied together.
std::filesystem::path stage_new_migration(const Context& context, const Migration& migration,
                                          bool becomes_head, FileTransaction& files);

}  // namespace migrate
