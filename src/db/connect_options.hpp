#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

/// How concurrent migrate runs on one database server keep out of each other's way.
enum class LockMode {
  session,      ///< one advisory lock held for the whole run (the default)
  transaction,  ///< an advisory lock per migration transaction (connection poolers in
                ///< transaction mode, where a session lock would outlive its connection)
};

/// What only an engine with a server reads (PostgreSQL today; the same knobs exist in every
/// server engine: a connect timeout, a statement timeout, a lock wait inside a migration,
/// session- or transaction-scoped advisory locks). An in-process engine (SQLite) has none of
/// them and ignores these; `--help` says which engine honours each flag.
struct ServerOptions {
  LockMode lock_mode = LockMode::session;
  /// How long to wait for the server to accept the connection and answer the handshake
  /// (libpq's connect_timeout: whole seconds, 2 at least).
  std::chrono::milliseconds connect_timeout{10'000};
  /// The session's statement timeout (nullopt: the server's setting).
  std::optional<std::chrono::milliseconds> statement_timeout;
  /// The lock wait allowed inside each migration's transaction, so a migration cannot wait
  /// behind a long-held lock forever (nullopt: the server's setting).
  std::optional<std::chrono::milliseconds> migration_lock_timeout;
};

struct ConnectOptions {
  /// Never create or change anything (current, history, --sql, --dry-run).
  bool read_only = false;
  /// A read-only connection's state table, as configured: a server engine asks its columns
  /// (Connection::table_columns, which every read of it asks first) in the message that opens
  /// the session, a round trip less to a server across a network. Empty: none.
  std::string columns_of;
  /// How long to wait for another process's lock (SQLite busy timeout, PostgreSQL lock).
  std::chrono::milliseconds lock_timeout{60'000};
  /// Hears a message for the user when another process holds the lock and this one starts to
  /// wait for it (who holds it, how long it waits), at the moment the wait starts, which may be
  /// in the middle of a step: PostgreSQL's migration lock at every wait for it (once per run in
  /// session lock mode; in transaction lock mode at each migration that finds it taken), SQLite's
  /// write lock once per connection, when a wait has lasted 100 ms (brief contention is not
  /// worth a line). The library never prints: the command passes it on. Empty: nobody is told.
  std::function<void(std::string_view)> on_lock_wait;
  ServerOptions server;
};

}  // namespace migrate
