#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "db/connection.hpp"

namespace migrate {

/// The state table migrate uses in development databases, never part of a schema read there.
inline constexpr std::string_view kDevStateTable = "migrate_dev_migrations";

/// One empty development database, gone when this is destroyed: SQLite's in memory, or a
/// PostgreSQL database created for it on the development server and dropped after.
class DevDatabase {
 public:
  virtual ~DevDatabase() = default;
  virtual Connection& connection() = 0;
};

struct SchemaModel;
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
  /// For a Ctrl-C that ends the command: a throwaway cluster is stopped and removed at once
  /// (a database on dev-database is dropped by its server when the connection goes).
  void abandon() noexcept;

 private:
  std::string m_engine;
  std::string m_url;
  std::unique_ptr<ThrowawayCluster> m_cluster;  ///< without dev-database: a private server
  std::unique_ptr<Connection> m_admin;          ///< PostgreSQL: creates and drops the databases
  std::mutex m_lock;                            ///< over what follows, and m_admin's use
  int m_created = 0;
};

}  // namespace migrate
