#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migrate {

// SQLite keeps part of its catalog only as text: the CREATE statement of each object, as it was
// written (sqlite_schema.sql). Its pragma functions give columns, types, defaults, keys and
// indexes, but not CHECK constraints, generated columns' expressions, partial indexes' WHERE,
// nor the bodies of views and triggers. Those are read here from that stored text, by tokens
// only (strings, quoted names, comments and parentheses kept whole), never interpreted: what a
// clause means is left to SQLite, which already accepted it.

/// The text as SQLite's tokenizer would split it, comments dropped, tokens joined by one space
/// (none inside parentheses' edges, before `,` or around `.`), so that two spellings of one
/// statement that differ only in spacing, line breaks or comments read the same. Keywords keep
/// the case they were written in.
std::string normalized_sqlite_sql(std::string_view sql);

/// What a CREATE TABLE statement's definitions say that the pragma functions do not.
struct SqliteTableText {
  struct Check {
    std::string name;        ///< CONSTRAINT name, or empty
    std::string expression;  ///< normalized, without its parentheses
    std::string column;      ///< for a column's own CHECK: its column; empty for a table's
  };
  std::vector<Check> checks;
  /// Per generated column: its name and expression (normalized, without parentheses).
  std::vector<std::pair<std::string, std::string>> generated;
  /// Names given to keys (CONSTRAINT name PRIMARY KEY / UNIQUE), in order, with the kind's
  /// first keyword ("PRIMARY", "UNIQUE") and the columns it names (foreign keys: below).
  struct Named {
    std::string name;
    std::string kind;
    std::vector<std::string> columns;
  };
  std::vector<Named> named;
  /// Per foreign key (in the order written), whether it is DEFERRABLE INITIALLY DEFERRED.
  std::vector<bool> deferred_foreign_keys;
  /// Per foreign key (in the order written), the name CONSTRAINT gave it, or "".
  std::vector<std::string> foreign_key_names;
};

/// Reads `create_table`, a CREATE TABLE statement as sqlite_schema stores it.
SqliteTableText read_sqlite_table_text(std::string_view create_table);

/// The WHERE of a CREATE INDEX statement (normalized), or empty for an index on all rows; and
/// the indexed terms as written (normalized), for expression indexes.
struct SqliteIndexText {
  std::vector<std::string> terms;
  std::string where;
};
SqliteIndexText read_sqlite_index_text(std::string_view create_index);

/// An unquoted identifier: a quoted one ("a""b", [a], `a`) without its quotes.
std::string unquoted_sqlite_identifier(std::string_view token);

}  // namespace migrate
