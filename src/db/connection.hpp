#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/dialect.hpp"
#include "db/sql_command.hpp"
#include "db/sql_row_view.hpp"
#include "db/statement.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

namespace migrate {

/// Another process held the database's lock for longer than the lock timeout.
class LockTimeout : public DbError {
 public:
  using DbError::DbError;
};

/// A stop request (Ctrl-C, SIGTERM) ended what ran; the message says what state that left.
class Interrupted : public DbError {
 public:
  using DbError::DbError;
};

/// What the migration engine needs from a database. One implementation per database; the
/// state table, the planner and the executor are written against this interface only.
class Connection {
 public:
  virtual ~Connection() = default;

  /// The database URL with any password hidden: the only name messages may use.
  virtual std::string display_name() const = 0;

  /// This engine's SQL: how sections split, how names and values are spelled, what it can do.
  virtual const Dialect& dialect() const = 0;
  /// The server's version as a number (PostgreSQL's server_version_num, 150004), for the
  /// dialect's version-dependent answers; 0 where there is no server.
  virtual int server_version() const { return 0; }
  /// Whether the statement must run outside a transaction on this server (the dialect's answer
  /// for this server's version).
  bool cannot_run_in_transaction(std::string_view statement) const {
    return dialect().cannot_run_in_transaction(statement, server_version());
  }

  /// What is set on every connection migrate opens: the dialect's own settings (SQLite:
  /// foreign keys on) and the URL's (PostgreSQL: search_path, statement_timeout), so that a
  /// `--sql` script run by hand behaves like migrate itself.
  virtual std::vector<std::string> session_settings() const { return dialect().session_settings(); }

  /// Runs SQL without results. Throws StatementError (or LockTimeout).
  virtual void execute(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  /// Runs one query and hands each row to `each` in turn, read where the engine holds it
  /// (SqlRowView): a result of thousands of rows (the state table's) is never held whole as rows
  /// of strings (libpq still receives the whole result first). `each` must not use this
  /// connection (SQLite reuses the statement it steps through), nor keep the view.
  virtual void query_each(std::string_view sql, const std::vector<SqlValue>& params,
                          const std::function<void(const SqlRowView&)>& each) = 0;
  /// Runs one query and returns every row as text.
  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params = {}) {
    std::vector<SqlRow> rows;
    query_each(sql, params, [&rows](const SqlRowView& row) { rows.push_back(row.copy()); });
    return rows;
  }

  /// Cancels, from another thread, the statement this connection runs or its wait for a lock
  /// (PostgreSQL: a cancel request; SQLite: sqlite3_interrupt, and the busy wait gives up): that
  /// call then fails with a StatementError. Does nothing when nothing runs (see
  /// StopRequest::Scope, which sends it again until the call returns). Safe from any thread
  /// while the connection lives.
  virtual void cancel() noexcept = 0;

  /// Starts a write transaction, waiting up to the lock timeout for other writers.
  virtual void begin() = 0;
  virtual void commit() = 0;
  /// Rolls back if a transaction is open; never throws (it runs on error paths).
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;

  /// The columns of a table, empty when there is no such table.
  virtual std::vector<std::string> table_columns(std::string_view table) = 0;
  /// A table name as the state table's statements must spell it: where the database has schemas
  /// (PostgreSQL), `name` qualified with the schema it resolved to when the connection opened
  /// (a `schema.name` stays as it is), so that a migration's SET search_path cannot send them
  /// elsewhere. Elsewhere `name` itself.
  virtual std::string qualified_table(std::string_view name) const { return std::string(name); }

  /// The statements that undo what SQL run on a connection that may write changed in its
  /// session (settings such as search_path or statement_timeout, SET ROLE, SET SESSION
  /// AUTHORIZATION) and apply migrate's own settings again, keeping the migration lock; empty
  /// where nothing needs it. They run after every migration's statements, before its state-table
  /// write (reset_session()), so that its SETs (its own, or a function's it called) neither
  /// break that write nor carry over into the next migration; --sql scripts have them after the
  /// migrations whose own statements change the session (Dialect::session_change).
  virtual std::vector<std::string> session_reset() const { return {}; }
  /// What to tell the user about `statement` after a stop cancelled it, when the cancel leaves
  /// something behind (PostgreSQL: the invalid index of a CREATE INDEX CONCURRENTLY, which the
  /// rerun would trip over); empty otherwise. Never throws.
  virtual std::string interrupted_hint(std::string_view /*statement*/) { return {}; }
  /// Starts the transaction of a state-table write that runs between the statements of a
  /// transaction:false section: as migrate itself (its role, its timeouts, read-write),
  /// whatever the section SET in the session, which it gets back after the commit (PostgreSQL:
  /// SET LOCAL). No migration lock is taken here. Where nothing needs it, begin().
  virtual void begin_state_write() { begin(); }

  /// Runs session_reset(), in one round trip.
  void reset_session() {
    if (std::vector<std::string> reset = session_reset(); !reset.empty()) {
      std::string sql;
      for (const std::string& statement : reset) {
        sql += statement + ";\n";
      }
      execute(sql);
    }
  }

  /// Serialises migrate runs on this database until unlock_migrations() or the end of the
  /// connection (PostgreSQL: an advisory lock keyed by database, schema and state table, waited
  /// for up to the lock timeout; in transaction lock mode, taken by each begin() instead).
  /// Throws LockTimeout naming who holds it. SQLite needs nothing here: every migration takes
  /// the database's write lock (BEGIN IMMEDIATE) and re-checks the state inside.
  virtual void lock_migrations(std::string_view /*state_table*/) {}
  virtual void unlock_migrations() noexcept {}

  /// Copies the whole database to `path` (a new file), for --backup. Throws DbError.
  virtual void backup(const std::filesystem::path& path) = 0;
  /// Throws DbError, saying what to install, when backup() cannot work on this machine
  /// (PostgreSQL: no pg_dump on PATH). Called before anything is written, so that --backup
  /// fails with the database untouched.
  virtual void check_backup() const {}
  /// Where a backup taken at `timestamp` goes unless told otherwise.
  virtual std::filesystem::path default_backup_path(std::string_view timestamp) const = 0;

  /// The whole database as one image in memory, to make another from later (load_image); none
  /// where the engine keeps a database elsewhere than in one file (PostgreSQL), and none when
  /// the image would not hold all the connection sees (SQLite: TEMP objects, attached
  /// databases), or when it would be larger than `largest` bytes. For development databases,
  /// not while a transaction is open. Throws DbError.
  virtual std::optional<std::string> image(std::size_t /*largest*/) { return std::nullopt; }
  /// What an image depends on besides its bytes: the library that wrote it (SQLite's source
  /// id); empty where there are no images.
  virtual std::string image_version() const { return {}; }
  /// Replaces this database with the image that fills `mapped` from `offset` to the file's end
  /// (from image() of a connection of the same engine); it grows into the mapping's headroom,
  /// and the connection keeps the mapping while it uses it. False, and nothing changed, where
  /// the engine has no images. An image that is not a database fails at the first statement
  /// that reads it.
  virtual bool load_image(MappedFile /*mapped*/, std::size_t /*offset*/) { return false; }

  /// Creates the schema the state table goes in, if the database has schemas and it is missing
  /// (PostgreSQL: `schema.table`, or the first schema of the URL's search_path).
  virtual void create_schema_for(std::string_view /*state_table*/) {}
};

}  // namespace migrate
