#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "db/connection.hpp"

namespace migrate {

/// The state table migrate uses in development databases, never part of a schema read there.
inline constexpr std::string_view kDevStateTable = "migrate_dev_migrations";

/// One empty development database, gone when this is destroyed: SQLite's in memory (or in a
/// temporary file, for another program too), or a PostgreSQL database created for it on the
/// development server and dropped after.
class DevDatabase {
 public:
  virtual ~DevDatabase() = default;
  virtual Connection& connection() = 0;
  /// Its URL in migrate's syntax, for another program to connect to (schema-command's
  /// MIGRATE_DEV_DATABASE_URL): `sqlite:///ABSOLUTE/PATH` for a SQLite database from
  /// DevDatabases::open_shared(), the server's URL naming this database on PostgreSQL (with the
  /// server's password, if its URL has one). An in-memory SQLite database's is
  /// `sqlite::memory:`, which no other program reaches.
  virtual const std::string& url() const = 0;
};

struct SchemaModel;
class ReplaySnapshot;
class ServerDatabaseOps;
class ThrowawayCluster;

/// Creates `schema` in an empty database, statement by statement of its dump.
void load_schema(Connection& connection, const SchemaModel& schema);

/// Where development databases come from, for one command: schemas are loaded into them to be
/// read. SQLite needs nothing; PostgreSQL needs a server: `dev_database_url` (migrate.conf's
/// `dev-database`), else a ThrowawayCluster started at the first need and gone with this. On
/// it each database is created as migrate_dev_<pid>_<n> and dropped after. open() may be called
/// from several threads at once (their databases are made and dropped one at a time).
class DevDatabases {
 public:
  /// `engine`: "sqlite" or "postgresql"; `dev_database_url` may be empty.
  DevDatabases(std::string engine, std::string dev_database_url);
  DevDatabases(const DevDatabases&) = delete;
  DevDatabases& operator=(const DevDatabases&) = delete;
  ~DevDatabases();

  const std::string& engine() const { return m_engine; }
  /// A new, empty development database. Throws UsageError when the engine has none here (what
  /// to install or configure), DbError when the server refuses to create one (what to check).
  std::unique_ptr<DevDatabase> open();
  /// The same, for another program to open at its url() too: SQLite's is a file in a
  /// TempFolder of its own ($TMPDIR/migrate-sqlite-*, apart from a throwaway cluster's
  /// migrate-dev-*), removed with it or by abandon(); PostgreSQL's is made as open() makes it.
  /// Throws IoError when the folder cannot be made.
  std::unique_ptr<DevDatabase> open_shared();
  /// Replays of migrations (diff/replay) start from the snapshot in `file` when it holds
  /// their first steps, and leave theirs there: for commands run again and again on the same
  /// migrations (the gate). Where the engine keeps its databases in files (SQLite).
  void keep_replays_in(const std::filesystem::path& file);
  /// The snapshot keep_replays_in names; null without one.
  ReplaySnapshot* replay_snapshot() const { return m_snapshot.get(); }
  /// For a Ctrl-C that ends the command: the AbandonHooks alive are undone (the newest first:
  /// a database made on dev-database is dropped there over a new connection), then a
  /// throwaway cluster is stopped and removed at once.
  void abandon() noexcept;

  /// What abandon() must also undo while this lives, at once and from its thread: a shared
  /// database's file removed, a program running against a development database killed with
  /// what it started. One made after abandon() is undone as it is made. Its destructor waits
  /// for an abandon() under way, so what `undo` names may be released after it.
  class AbandonHook {
   public:
    AbandonHook(DevDatabases& dev, std::function<void()> undo);
    AbandonHook(const AbandonHook&) = delete;
    AbandonHook& operator=(const AbandonHook&) = delete;
    ~AbandonHook();

   private:
    DevDatabases& m_dev;
    std::uint64_t m_id;
  };

 private:
  std::string m_engine;
  std::string m_url;
  std::unique_ptr<ThrowawayCluster> m_cluster;  ///< without dev-database: a private server
  std::unique_ptr<ReplaySnapshot> m_snapshot;
  std::unique_ptr<Connection> m_admin;  ///< PostgreSQL: creates and drops the databases
  std::mutex m_lock;                    ///< over what follows, and m_admin's use
  int m_created = 0;
  std::mutex m_hooks_mutex;  ///< abandon() comes from a stop signal's thread
  /// Held while a database is created on the server and its hook registered, and while its
  /// hook is removed and it is dropped: abandon() waits for it, so a stop never lands between
  /// a database and the hook that drops it (the process would end with it left behind).
  std::mutex m_server_ops;
  friend class ServerDatabaseOps;
  std::map<std::uint64_t, std::function<void()>> m_hooks;  ///< by AbandonHook, oldest first
  std::uint64_t m_hooks_made = 0;
  bool m_abandoned = false;
};

}  // namespace migrate
