#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/postgres/pg_handle.hpp"
#include "db/postgres/postgres_url.hpp"

namespace migrate {

/// PostgreSQL through libpq. (libpqxx 6.4's errors carry neither the server's error position
/// nor its detail and hint, which a failing migration must show; libpq has them all.) SQL is
/// split by libpg_query, PostgreSQL's own parser, so nothing is split by hand.
class PostgresConnection final : public Connection {
 public:
  /// Connects (connect_timeout 10 s unless the URL says otherwise). Throws DbError saying what
  /// to do: unreachable server, wrong or missing password, missing database or role.
  PostgresConnection(const DatabaseUrl& url, const ConnectOptions& options);

  std::string display_name() const override { return m_name; }
  int server_version() const override;
  std::vector<std::string> session_settings() const override;
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
  std::string qualified_table(std::string_view name) const override;
  std::vector<std::string> session_reset() const override;
  void begin_state_write() override;
  std::string interrupted_hint(std::string_view statement) override;
  void lock_migrations(std::string_view state_table) override;
  void unlock_migrations() noexcept override;
  void backup(const std::filesystem::path& path) override;
  void check_backup() const override;
  std::filesystem::path default_backup_path(std::string_view timestamp) const override;
  void create_schema_for(std::string_view state_table) override;

  /// The schema the state table lives in when its name is not qualified (the first of
  /// `search_path`, created if missing when the state table is created).
  const std::vector<std::string>& search_path() const { return m_target.search_path; }

 private:
  /// The query of the session's schema and roles (a row), with `with_columns` followed by a
  /// row for each column of ConnectOptions::columns_of.
  std::string session_query(bool with_columns) const;
  PgResult run(std::string_view sql, const std::vector<SqlValue>& params);
  [[noreturn]] void fail(const PGresult* result, std::string_view sql);
  /// Takes the advisory lock with `function` (pg_advisory_lock or pg_advisory_xact_lock): at
  /// once when it is free; otherwise tells ConnectOptions::on_lock_wait who holds it and waits
  /// up to the lock timeout. Throws LockTimeout.
  void wait_for_lock(std::string_view function);
  std::string lock_holder();

  std::string m_name;
  PostgresTarget m_target;
  ConnectOptions m_options;
  PgConn m_conn;
  /// What cancel() needs: made once the connection is up, usable from any thread.
  PgCancel m_cancel;
  /// cancel() came during the wait for the lock: its 57014 is not a timeout.
  std::atomic<bool> m_cancelled = false;
  /// Where an unqualified state table lives: the first schema of the URL's search_path, else
  /// current_schema() as the connection opened (nothing any migration has run can change it).
  std::string m_schema;
  /// The role migrate runs as (current_user as the connection opened: the URL's options may set
  /// one), empty when it is the login role itself.
  std::string m_role;
  /// ConnectOptions::columns_of's columns as the session opened, for the first table_columns
  /// that asks for that table (by the name it qualifies to); nullopt once taken.
  struct PrefetchedColumns {
    std::string table;
    std::vector<std::string> columns;
  };
  std::optional<PrefetchedColumns> m_prefetched;
  std::unordered_map<std::string, std::string> m_prepared;  ///< SQL -> statement name
  std::optional<std::int64_t> m_lock_key;
  bool m_session_locked = false;
};

}  // namespace migrate
