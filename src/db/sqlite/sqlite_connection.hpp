#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/sqlite/sqlite_handle.hpp"

namespace migrate {

/// SQLite through its C API. Statements run one at a time through sqlite3_prepare_v2's tail, so
/// an error has the statement and, with sqlite3_error_offset, its exact place. Foreign keys are
/// switched on for the connection (SQLite's default is off), so migrations respect them.
class SqliteConnection final : public Connection {
 public:
  /// Opens the database. With `read_only`, never creates the file. Throws DbError explaining
  /// a missing or read-only folder. A write lock another process holds is waited for up to
  /// `lock_timeout`, and a wait that lasts tells `on_lock_wait` (ConnectOptions).
  SqliteConnection(const DatabaseUrl& url, const ConnectOptions& options);
  SqliteConnection(const DatabaseUrl& url, bool read_only, std::chrono::milliseconds lock_timeout)
      : SqliteConnection(url,
                         ConnectOptions{.read_only = read_only, .lock_timeout = lock_timeout}) {}

  std::string display_name() const override { return m_name; }
  const Dialect& dialect() const override;
  void execute(std::string_view sql, const std::vector<SqlValue>& params = {}) override;
  void query_each(std::string_view sql, const std::vector<SqlValue>& params,
                  const std::function<void(const SqlRowView&)>& each) override;
  void cancel() noexcept override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool in_transaction() const override;
  std::vector<std::string> table_columns(std::string_view table) override;
  void backup(const std::filesystem::path& path) override;
  std::filesystem::path default_backup_path(std::string_view timestamp) const override;
  std::optional<std::string> image(std::size_t largest) override;
  std::string image_version() const override;
  bool load_image(MappedFile mapped, std::size_t offset) override;

  sqlite3* handle() const { return m_db.get(); }

 private:
  SqliteStatement prepare(std::string_view sql, const char** tail, std::size_t base_offset);
  /// A prepared statement for SQL that runs many times (the state table's queries), kept for
  /// the life of the connection; the caller resets it after use.
  sqlite3_stmt* cached(std::string_view sql);
  void bind(sqlite3_stmt* statement, const std::vector<SqlValue>& params);
  [[noreturn]] void fail(int rc, std::optional<std::size_t> offset);

  /// The busy handler's state, at an address that stays put when the connection moves.
  struct LockWait {
    std::string database;
    std::chrono::milliseconds timeout;
    std::function<void(std::string_view)> on_wait;
    std::chrono::steady_clock::time_point started;  ///< of the wait going on
    bool told = false;                              ///< on_wait heard: it hears once
    std::atomic<bool> cancelled = false;            ///< cancel() came: give up this wait
  };
  /// sqlite3_busy_handler's callback: busy_timeout's wait (total bounded by the timeout, SQLite's
  /// own back-off), which also tells on_wait once, when a wait lasts, and gives up on cancel().
  static int wait_for_lock(void* lock_wait, int count);

  std::string m_name;
  std::filesystem::path m_path;  ///< empty for :memory:
  std::chrono::milliseconds m_lock_timeout;
  std::unique_ptr<LockWait> m_lock_wait;
  // Destroyed after m_db: the database load_image gave SQLite, which it reads until it closes.
  MappedFile m_image;
  SqliteDb m_db;
  // Destroyed before m_db: every statement is finalized before the connection closes.
  std::unordered_map<std::string, SqliteStatement> m_statements;
};

}  // namespace migrate
