#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/sql_command.hpp"
#include "state/applied_migration.hpp"

namespace migrate {

class Connection;

/// The state table (`schema_migrations` by default) in the target database: which migrations
/// are applied, with their checksums and down SQL. Written through the Connection interface with
/// bound parameters (spelled by its Dialect), so the same code serves every database.
class StateTable {
 public:
  /// `name` is `table` or `schema.table`; throws ConfigError for anything else. An unqualified
  /// name is qualified with the schema the connection resolves it to now (PostgreSQL), so the
  /// statements below keep naming the same table whatever a migration does to search_path.
  StateTable(Connection& connection, std::string name);

  const std::string& name() const { return m_name; }

  /// Whether read() returns each row's down_sql: a reader that reverts nothing leaves it in
  /// the database (a row's down SQL can be as long as its migration).
  enum class DownSql { read, left };
  /// Every row, oldest first. A database without the table has nothing applied: that is an
  /// empty result, never an error. A table of that name with another shape is a ConfigError.
  std::vector<AppliedMigration> read(DownSql down_sql = DownSql::read);
  /// The row for one id.
  std::optional<AppliedMigration> find(const MigrationId& id);
  /// Whether a row exists for the id: the executor's re-check, inside each transaction, that a
  /// step is still needed (cheaper than find, and it runs once per migration).
  bool contains(const MigrationId& id);

  /// Creates the table when it is missing; checks its shape when it is there.
  void ensure();
  /// Whether the table is there (ConfigError when a table of its name has another shape): a
  /// database migrate has run, or adopted, even when nothing is applied now.
  bool exists() { return check_shape(); }

  SqlCommand create_command() const;
  SqlCommand insert_command(const AppliedMigration& row) const;
  SqlCommand delete_command(const MigrationId& id) const;
  SqlCommand rekey_command(const MigrationId& from, const MigrationId& to) const;
  /// Records how far a step-by-step section got (and, when it completes, what it ran).
  SqlCommand progress_command(const MigrationId& id, int done, int total, std::int64_t duration_ms,
                              const std::string& checksum) const;

  /// Runs one of the commands above.
  void run(const SqlCommand& command);

 private:
  bool check_shape();                             ///< false when the table does not exist
  std::string placeholder(int n) const;           ///< the n-th parameter, as the dialect spells it
  std::string placeholder_list(int count) const;  ///< "$1, $2, …" up to `count`

  Connection& m_connection;
  std::string m_name;       ///< as configured, for messages
  std::string m_qualified;  ///< as the SQL names it (Connection::qualified_table)
  std::string m_quoted;
};

}  // namespace migrate
