#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

class Connection;

/// What the SQLite linter reads of a development database's own catalog (sqlite_schema and the
/// pragma functions), through Connection::query: the schema knowledge of the SQLite rules.
/// Names compare as SQLite compares them, without regard to ASCII case (lower_name).

/// `name` in lower case (ASCII), as SQLite matches identifiers.
std::string lower_name(std::string_view name);

/// The tables, by lower_name, each with its name as created.
std::map<std::string, std::string> sqlite_tables(Connection& database);

/// A column as pragma_table_xinfo gives it.
struct SqliteColumn {
  std::string name;
  std::string type;
  bool not_null = false;
  bool has_default = false;
  std::string default_sql;  ///< the default's expression as written (dflt_value)
  bool hidden = false;      ///< a generated column
};
std::vector<SqliteColumn> sqlite_columns(Connection& database, std::string_view table);

/// A foreign key of another table that references `table` (pragma_foreign_key_list).
struct SqliteReference {
  std::string table;      ///< the referencing table
  std::string from;       ///< its column
  std::string to;         ///< the referenced column; empty: the primary key
  std::string on_delete;  ///< CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION
};
/// The foreign keys of the other tables that reference `table` (its own self-references left
/// out: they go with its rows).
std::vector<SqliteReference> sqlite_references_to(Connection& database, std::string_view table);

/// Whether foreign keys are enforced on the connection now (PRAGMA foreign_keys).
bool sqlite_foreign_keys_on(Connection& database);

/// The views and triggers that SQLite cannot compile now, each with SQLite's message: a view
/// as `view NAME`, the triggers of a table as `a trigger on NAME` (SQLite compiles a table's
/// triggers into the INSERT, UPDATE and DELETE that fire them: those are prepared, never run).
std::map<std::string, std::string> sqlite_broken_dependents(Connection& database);

}  // namespace migrate
