#include "diff/dev_database.hpp"

#include <unistd.h>

#include <mutex>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "diff/throwaway_cluster.hpp"
#include "schema/schema_dump.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

class MemoryDatabase final : public DevDatabase {
 public:
  MemoryDatabase() : m_connection(open_database(parse_database_url("sqlite::memory:", "/"), {})) {}
  Connection& connection() override { return *m_connection; }

 private:
  std::unique_ptr<Connection> m_connection;
};

/// A database of its own on the development server, dropped (with any connection left to it)
/// when this goes. Made while its DevDatabases' lock is held; takes the lock to drop it.
class ServerDatabase final : public DevDatabase {
 public:
  ServerDatabase(Connection& admin, std::mutex& admin_lock, std::string name,
                 const std::string& server_url)
      : m_admin(admin), m_admin_lock(admin_lock), m_name(std::move(name)) {
    m_admin.execute(fmt::format("CREATE DATABASE {}", m_name));
    try {
      // Its commits need not wait for the disk: it is dropped after. The database's default,
      // so a migration's RESET ALL keeps it.
      m_admin.execute(fmt::format("ALTER DATABASE {} SET synchronous_commit = off", m_name));
      m_connection =
          open_database(parse_database_url(url_with_database(server_url, m_name), "/"), {});
    } catch (...) {
      drop();
      throw;
    }
  }
  ServerDatabase(const ServerDatabase&) = delete;
  ServerDatabase& operator=(const ServerDatabase&) = delete;
  ~ServerDatabase() override {
    m_connection.reset();
    std::lock_guard<std::mutex> guard(m_admin_lock);
    drop();
  }
  Connection& connection() override { return *m_connection; }

 private:
  void drop() noexcept {
    try {
      m_admin.execute(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", m_name));
    } catch (const std::exception&) {
      // Left behind: its name (migrate_dev_…) says what it is; nothing depends on it.
    }
  }

  Connection& m_admin;
  std::mutex& m_admin_lock;
  std::string m_name;
  std::unique_ptr<Connection> m_connection;
};

}  // namespace

void load_schema(Connection& connection, const SchemaModel& schema) {
  for (const Statement& statement : connection.dialect().split(dump_schema(schema))) {
    connection.execute(statement.sql);
  }
}

DevDatabases::DevDatabases(std::string engine, std::string dev_database_url)
    : m_engine(std::move(engine)), m_url(std::move(dev_database_url)) {
  if (m_engine == "postgresql" && m_url.empty()) {
    // Made now, started at the first need: abandon() may look at it from another thread.
    m_cluster = std::make_unique<ThrowawayCluster>();
  }
}

DevDatabases::~DevDatabases() = default;

void DevDatabases::abandon() noexcept {
  if (m_cluster) {
    m_cluster->abandon();
  }
}

std::unique_ptr<DevDatabase> DevDatabases::open() {
  std::lock_guard<std::mutex> guard(m_lock);
  if (m_engine == "sqlite") {
    return std::make_unique<MemoryDatabase>();
  }
  if (m_engine != "postgresql") {
    throw UsageError(fmt::format("development databases are not supported on {}", m_engine));
  }
  if (m_url.empty()) {
    m_cluster->start();
    m_url = m_cluster->url();
  }
  DatabaseUrl url = parse_database_url(m_url, "/");
  if (!m_admin) {
    m_admin = open_database(url, {});
  }
  std::string name = fmt::format("migrate_dev_{}_{}", ::getpid(), ++m_created);
  try {
    return std::make_unique<ServerDatabase>(*m_admin, m_lock, name, m_url);
  } catch (const DbError& e) {
    throw DbError(
        fmt::format("cannot create a development database on {} (dev-database in "
                    "migrate.conf): {}. Its role needs CREATEDB",
                    url.redacted(), e.what()));
  }
}

}  // namespace migrate
