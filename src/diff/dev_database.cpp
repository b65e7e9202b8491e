#include "diff/dev_database.hpp"

#include <unistd.h>

#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "diff/replay_snapshot.hpp"
#include "diff/throwaway_cluster.hpp"
#include "schema/schema_dump.hpp"
#include "util/error.hpp"
#include "util/module.hpp"
#include "util/temp_folder.hpp"

namespace migrate {

namespace {

class MemoryDatabase final : public DevDatabase {
 public:
  MemoryDatabase() : m_connection(open_database(parse_database_url(m_url, "/"), {})) {
    // Development databases hold schemas, and hardly any rows: every table and index takes at
    // least a page of its own, so SQLite's smallest page makes a long history's image (and
    // its snapshot, diff/replay_snapshot) an eighth of the default's.
    m_connection->execute("PRAGMA page_size = 512");
  }
  Connection& connection() override { return *m_connection; }
  const std::string& url() const override { return m_url; }

 private:
  std::string m_url = "sqlite::memory:";
  std::unique_ptr<Connection> m_connection;
};

/// A SQLite database in a file of its own, for another program to open too: its folder goes
/// with it, or at once on abandon().
class FileDatabase final : public DevDatabase {
 public:
  explicit FileDatabase(DevDatabases& dev)
      : m_hook(dev, [this] { m_folder.remove(); }),
        m_url("sqlite://" + (m_folder.path() / "dev.db").string()),
        m_connection(open_database(parse_database_url(m_url, "/"), {})) {}
  Connection& connection() override { return *m_connection; }
  const std::string& url() const override { return m_url; }

 private:
  TempFolder m_folder{"migrate-sqlite"};
  DevDatabases::AbandonHook m_hook;
  std::string m_url;
  std::unique_ptr<Connection> m_connection;
};

}  // namespace

/// DevDatabases::m_server_ops, for the databases made on the server.
class ServerDatabaseOps {
 public:
  static std::mutex& of(DevDatabases& dev) { return dev.m_server_ops; }
};

namespace {

/// A database of its own on the development server, dropped (with any connection left to it)
/// when this goes. Made while its DevDatabases' lock is held; takes the lock to drop it.
class ServerDatabase final : public DevDatabase {
 public:
  ServerDatabase(DevDatabases& dev, Connection& admin, std::mutex& admin_lock, std::string name,
                 const std::string& server_url)
      : m_admin(admin),
        m_admin_lock(admin_lock),
        m_server_ops(ServerDatabaseOps::of(dev)),
        m_name(std::move(name)),
        m_url(url_with_database(server_url, m_name)) {
    std::unique_lock<std::mutex> ops(m_server_ops);  // a stop waits: the database and its hook
    m_admin.execute(fmt::format("CREATE DATABASE {}", m_name));
    // A stop (Ctrl-C, SIGTERM) ends the process before this goes: the server keeps a database
    // whose connection went, so it is dropped from the stop's thread, over a connection of
    // its own (the admin one may be in use).
    m_hook.emplace(dev, [server_url, name = m_name] {
      try {
        std::unique_ptr<Connection> admin = open_database(parse_database_url(server_url, "/"), {});
        admin->execute(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name));
      } catch (const std::exception&) {
        // Left behind: its name (migrate_dev_…) says what it is; nothing depends on it.
      }
    });
    ops.unlock();
    try {
      // Its commits need not wait for the disk: it is dropped after. The database's default,
      // so a migration's RESET ALL keeps it.
      m_admin.execute(fmt::format("ALTER DATABASE {} SET synchronous_commit = off", m_name));
      m_connection = open_database(parse_database_url(m_url, "/"), {});
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
    std::lock_guard<std::mutex> ops(m_server_ops);  // a stop waits for the drop, or drops it
    m_hook.reset();
    drop();
  }
  Connection& connection() override { return *m_connection; }
  const std::string& url() const override { return m_url; }

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
  std::mutex& m_server_ops;
  std::string m_name;
  std::string m_url;
  std::optional<DevDatabases::AbandonHook> m_hook;
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

void DevDatabases::keep_replays_in(const std::filesystem::path& file) {
  if (m_engine != "sqlite") {
    return;  // a server's databases have no images to keep
  }
  // Another build of migrate may replay differently.
  m_snapshot = std::make_unique<ReplaySnapshot>(file, build_identity() + "\n" + m_engine);
}

void DevDatabases::abandon() noexcept {
  {
    // A database being made or dropped on the server is finished first: its hook is then
    // there to drop it, or it is gone.
    std::lock_guard ops(m_server_ops);
    std::lock_guard lock(m_hooks_mutex);
    m_abandoned = true;
    for (auto hook = m_hooks.rbegin(); hook != m_hooks.rend(); ++hook) {
      try {
        hook->second();
      } catch (...) {  // the process ends next: what could not be undone stays
      }
    }
  }
  if (m_cluster) {
    m_cluster->abandon();
  }
}

DevDatabases::AbandonHook::AbandonHook(DevDatabases& dev, std::function<void()> undo) : m_dev(dev) {
  std::lock_guard lock(m_dev.m_hooks_mutex);
  m_id = ++m_dev.m_hooks_made;
  if (m_dev.m_abandoned) {
    undo();
  }
  m_dev.m_hooks.emplace(m_id, std::move(undo));
}

DevDatabases::AbandonHook::~AbandonHook() {
  std::lock_guard lock(m_dev.m_hooks_mutex);
  m_dev.m_hooks.erase(m_id);
}

std::unique_ptr<DevDatabase> DevDatabases::open_shared() {
  if (m_engine == "sqlite") {
    return std::make_unique<FileDatabase>(*this);
  }
  return open();
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
    return std::make_unique<ServerDatabase>(*this, *m_admin, m_lock, name, m_url);
  } catch (const DbError& e) {
    throw DbError(
        fmt::format("cannot create a development database on {} (dev-database in "
                    "migrate.conf): {}. Its role needs CREATEDB",
                    url.redacted(), e.what()));
  }
}

}  // namespace migrate
