#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/sql_command.hpp"
#include "db/statement.hpp"

namespace migrate {

/// SQLite's `foreign_keys:off` (for the table rebuilds that must not cascade): a switch that only
/// works outside a transaction, and the check that runs before the commit instead. SQL only:
/// the executor runs it.
class ForeignKeySwitch {
 public:
  virtual ~ForeignKeySwitch() = default;
  /// The statement that turns enforcement on or off for the connection.
  virtual std::string set(bool enabled) const = 0;
  /// The query that says whether enforcement is on, and how to read its rows.
  virtual std::string state_query() const = 0;
  virtual bool enabled(const std::vector<SqlRow>& state) const = 0;
  /// The query that lists the rows breaking a foreign key (none: the check passes).
  virtual std::string check_query() const = 0;
  /// What the check's rows say, for the user (a few of them, and the count); empty when none.
  virtual std::string describe_violations(const std::vector<SqlRow>& rows) const = 0;
};

/// What migrate knows of one database engine's SQL without a connection: how a section splits
/// into statements, which statements control a transaction or change the session, how names,
/// values and parameters are spelled, the state table's DDL, and what the engine can do. A
/// linter, a generator or a `--sql` script needs only this; a Connection has one
/// (Connection::dialect). Stateless: one instance per engine (db/engine.hpp), shared by every
/// connection.
class Dialect {
 public:
  struct Capabilities {
    bool transactional_ddl = false;  ///< CREATE/ALTER/DROP roll back with their transaction
    bool advisory_locks = false;     ///< a lock for migrate runs that no table holds
    bool schemas = false;            ///< `schema.table` names a schema, not an attached file
    bool create_index_if_not_exists = false;  ///< CREATE INDEX IF NOT EXISTS
    bool concurrent_index = false;            ///< CREATE INDEX CONCURRENTLY (no transaction)
  };

  virtual ~Dialect() = default;

  /// The engine's name ("sqlite", "postgresql"), as the registry knows it.
  virtual std::string_view name() const = 0;
  virtual Capabilities capabilities() const = 0;

  /// Splits a section into statements by this engine's own rules, without running anything.
  /// Throws StatementError (with the offset) for SQL the engine's parser refuses, where the
  /// splitter is a parser (PostgreSQL).
  virtual std::vector<Statement> split(std::string_view sql) const = 0;
  /// The engine's own parse tree of a section, as JSON text (PostgreSQL: libpg_query's,
  /// `{"version":…,"stmts":[{"stmt":{"<Node>":{…}},"stmt_location":…,"stmt_len":…},…]}`), for
  /// what reads statements rather than runs them (the linter); nullopt where the engine has no
  /// parser migrate can reach (SQLite). Throws StatementError (with the offset) for SQL the
  /// parser refuses.
  virtual std::optional<std::string> parse_tree(std::string_view /*sql*/) const {
    return std::nullopt;
  }
  /// True when the statement itself starts or ends a transaction (BEGIN, COMMIT, ROLLBACK…):
  /// such sections are run as written rather than inside migrate's transaction.
  virtual bool controls_transaction(std::string_view statement) const = 0;
  /// True when the engine refuses to run the statement inside a transaction (VACUUM, CREATE
  /// INDEX CONCURRENTLY…). `server_version`: the server's version number where that matters
  /// (PostgreSQL's server_version_num), 0 when unknown.
  virtual bool cannot_run_in_transaction(std::string_view statement,
                                         int server_version = 0) const = 0;
  /// What `statement` leaves in the session; none where SQL cannot change a session. (A
  /// function the statement calls may SET too: not seen here.)
  virtual SessionChange session_change(std::string_view /*statement*/) const { return {}; }

  /// `name` or `schema.name` quoted as an identifier ("schema"."name", quotes doubled).
  virtual std::string quote_identifier(std::string_view name) const;
  /// `value` as a string literal ('it''s'), or NULL.
  virtual std::string literal(const SqlValue& value) const;
  /// The text of the n-th (1-based) bound parameter in this engine's SQL: `$1`. Each n must
  /// have its own text (numbered or named, not a bare `?`): inline_parameters and the
  /// connections find parameter n by it.
  virtual std::string placeholder(int n) const;
  /// The command's SQL with each placeholder replaced by its value as a literal: for `--sql`
  /// scripts, which people read and run by hand; never for execution by migrate itself.
  std::string inline_parameters(const SqlCommand& command) const;

  /// What every connection migrate opens sets first (SQLite: foreign keys on), so that a
  /// `--sql` script run by hand behaves like migrate itself.
  virtual std::vector<std::string> session_settings() const { return {}; }
  /// The state table's CREATE statement for the table `quoted` (already quoted).
  virtual std::string state_table_ddl(std::string_view quoted) const;
  /// SQLite's foreign-key switch; null where a section's `foreign_keys:off` means nothing.
  virtual const ForeignKeySwitch* foreign_key_switch() const { return nullptr; }
};

}  // namespace migrate
