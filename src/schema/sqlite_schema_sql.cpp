#include "schema/sqlite_schema_sql.hpp"

#include "schema/sql_identifier.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace migrate {

namespace {

// SQLite's keywords (sqlite3_keyword_name, SQLite 3.40), sorted: a name that is one is quoted.
constexpr std::array<std::string_view, 147> kKeywords = {"ABORT",
                                                         "ACTION",
                                                         "ADD",
                                                         "AFTER",
                                                         "ALL",
                                                         "ALTER",
                                                         "ALWAYS",
                                                         "ANALYZE",
                                                         "AND",
                                                         "AS",
                                                         "ASC",
                                                         "ATTACH",
                                                         "AUTOINCREMENT",
                                                         "BEFORE",
                                                         "BEGIN",
                                                         "BETWEEN",
                                                         "BY",
                                                         "CASCADE",
                                                         "CASE",
                                                         "CAST",
                                                         "CHECK",
                                                         "COLLATE",
                                                         "COLUMN",
                                                         "COMMIT",
                                                         "CONFLICT",
                                                         "CONSTRAINT",
                                                         "CREATE",
                                                         "CROSS",
                                                         "CURRENT",
                                                         "CURRENT_DATE",
                                                         "CURRENT_TIME",
                                                         "CURRENT_TIMESTAMP",
                                                         "DATABASE",
                                                         "DEFAULT",
                                                         "DEFERRABLE",
                                                         "DEFERRED",
                                                         "DELETE",
                                                         "DESC",
                                                         "DETACH",
                                                         "DISTINCT",
                                                         "DO",
                                                         "DROP",
                                                         "EACH",
                                                         "ELSE",
                                                         "END",
                                                         "ESCAPE",
                                                         "EXCEPT",
                                                         "EXCLUDE",
                                                         "EXCLUSIVE",
                                                         "EXISTS",
                                                         "EXPLAIN",
                                                         "FAIL",
                                                         "FILTER",
                                                         "FIRST",
                                                         "FOLLOWING",
                                                         "FOR",
                                                         "FOREIGN",
                                                         "FROM",
                                                         "FULL",
                                                         "GENERATED",
                                                         "GLOB",
                                                         "GROUP",
                                                         "GROUPS",
                                                         "HAVING",
                                                         "IF",
                                                         "IGNORE",
                                                         "IMMEDIATE",
                                                         "IN",
                                                         "INDEX",
                                                         "INDEXED",
                                                         "INITIALLY",
                                                         "INNER",
                                                         "INSERT",
                                                         "INSTEAD",
                                                         "INTERSECT",
                                                         "INTO",
                                                         "IS",
                                                         "ISNULL",
                                                         "JOIN",
                                                         "KEY",
                                                         "LAST",
                                                         "LEFT",
                                                         "LIKE",
                                                         "LIMIT",
                                                         "MATCH",
                                                         "MATERIALIZED",
                                                         "NATURAL",
                                                         "NO",
                                                         "NOT",
                                                         "NOTHING",
                                                         "NOTNULL",
                                                         "NULL",
                                                         "NULLS",
                                                         "OF",
                                                         "OFFSET",
                                                         "ON",
                                                         "OR",
                                                         "ORDER",
                                                         "OTHERS",
                                                         "OUTER",
                                                         "OVER",
                                                         "PARTITION",
                                                         "PLAN",
                                                         "PRAGMA",
                                                         "PRECEDING",
                                                         "PRIMARY",
                                                         "QUERY",
                                                         "RAISE",
                                                         "RANGE",
                                                         "RECURSIVE",
                                                         "REFERENCES",
                                                         "REGEXP",
                                                         "REINDEX",
                                                         "RELEASE",
                                                         "RENAME",
                                                         "REPLACE",
                                                         "RESTRICT",
                                                         "RETURNING",
                                                         "RIGHT",
                                                         "ROLLBACK",
                                                         "ROW",
                                                         "ROWS",
                                                         "SAVEPOINT",
                                                         "SELECT",
                                                         "SET",
                                                         "TABLE",
                                                         "TEMP",
                                                         "TEMPORARY",
                                                         "THEN",
                                                         "TIES",
                                                         "TO",
                                                         "TRANSACTION",
                                                         "TRIGGER",
                                                         "UNBOUNDED",
                                                         "UNION",
                                                         "UNIQUE",
                                                         "UPDATE",
                                                         "USING",
                                                         "VACUUM",
                                                         "VALUES",
                                                         "VIEW",
                                                         "VIRTUAL",
                                                         "WHEN",
                                                         "WHERE",
                                                         "WINDOW",
                                                         "WITH",
                                                         "WITHOUT"};

bool keyword(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return std::binary_search(kKeywords.begin(), kKeywords.end(), upper);
}

std::string column_definition(const Column& column, bool inline_key) {
  std::string out = sqlite_identifier(column.name);
  if (!column.type.empty()) {
    out += " " + column.type;
  }
  if (inline_key) {
    out += " PRIMARY KEY AUTOINCREMENT";
  }
  if (!column.collation.empty()) {
    out += " COLLATE " + column.collation;
  }
  if (column.not_null) {
    out += " NOT NULL";
  }
  if (!column.default_value.empty()) {
    // A literal or CURRENT_TIMESTAMP as it is; an expression in the parentheses it needs (the
    // catalog gives `1 + 2` for `DEFAULT (1 + 2)`).
    std::string_view value = column.default_value;
    bool current =
        keyword(value) && (value.starts_with("CURRENT_") || value.starts_with("current_"));
    bool bare = sqlite_literal_default(value) || current;
    out += " DEFAULT " + (bare ? column.default_value : "(" + column.default_value + ")");
  }
  if (!column.generated.empty()) {
    out += fmt::format(" GENERATED ALWAYS AS ({}) {}", column.generated,
                       column.generated_stored ? "STORED" : "VIRTUAL");
  }
  return out;
}

}  // namespace

namespace {

/// The whole of `text` is one quoted token: `'…'` or `"…"`, its quote doubled inside.
bool one_quoted_token(std::string_view text, char quote) {
  if (text.size() < 2 || text.front() != quote || text.back() != quote) {
    return false;
  }
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == quote) {
      if (text[i + 1] != quote || i + 2 == text.size()) {
        return false;  // a quote that closes before the end: 'a' || 'b'
      }
      ++i;
    }
  }
  return true;
}

/// A number as SQLite writes one: an optional sign, digits with an optional fraction and
/// exponent, or hexadecimal.
bool number(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    text.remove_prefix(1);
  }
  if (text.size() > 2 && (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X")) {
    return std::all_of(text.begin() + 2, text.end(),
                       [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  }
  std::size_t i = 0;
  bool digits = false;
  auto digit_run = [&] {
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
      digits = true;
    }
  };
  digit_run();
  if (i < text.size() && text[i] == '.') {
    ++i;
    digit_run();
  }
  if (digits && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    std::size_t before = i;
    digit_run();
    if (i == before) {
      return false;
    }
  }
  return digits && i == text.size();
}

}  // namespace

bool sqlite_literal_default(std::string_view value) {
  if (value.empty()) {
    return false;
  }
  if (one_quoted_token(value, '\'') || one_quoted_token(value, '"')) {
    return true;  // a string ("…" too: SQLite takes it for one in a DEFAULT)
  }
  if ((value.front() == 'x' || value.front() == 'X') && one_quoted_token(value.substr(1), '\'')) {
    return true;  // a blob
  }
  std::string upper(value);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper == "NULL" || upper == "TRUE" || upper == "FALSE" || number(value);
}

std::string sqlite_column_definition(const Column& column) {
  return column_definition(column, false);
}

std::string sqlite_identifier(std::string_view name) {
  return sql_identifier(name, keyword(name));
}

std::string sqlite_create_table(const Table& table) {
  // AUTOINCREMENT is said on its column: its PRIMARY KEY goes there, not with the others.
  std::vector<std::string> lines;
  for (const Column& column : table.columns) {
    bool inline_key =
        table.autoincrement &&
        std::any_of(table.constraints.begin(), table.constraints.end(), [&](const Constraint& c) {
          return c.kind == ConstraintKind::primary_key &&
                 c.columns == std::vector<std::string>{column.name};
        });
    lines.push_back(column_definition(column, inline_key));
  }
  for (const Constraint& constraint : table.constraints) {
    if (table.autoincrement && constraint.kind == ConstraintKind::primary_key) {
      continue;
    }
    lines.push_back(
        (constraint.name.empty() ? "" : "CONSTRAINT " + sqlite_identifier(constraint.name) + " ") +
        constraint.definition);
  }
  std::vector<std::string> options;
  if (table.without_rowid) {
    options.emplace_back("WITHOUT ROWID");
  }
  if (table.strict) {
    options.emplace_back("STRICT");
  }
  return fmt::format("CREATE TABLE {} (\n  {}\n){}{}", sqlite_identifier(table.name.name),
                     fmt::join(lines, ",\n  "), options.empty() ? "" : " ",
                     fmt::join(options, ", "));
}

std::vector<DumpItem> sqlite_dump_items(const SchemaModel& model) {
  std::vector<DumpItem> items;
  for (const Table& table : model.tables) {
    items.push_back({object_key("table", table.name), {}, sqlite_create_table(table) + ";\n"});
  }
  for (const Index& index : model.indexes) {
    items.push_back({object_key("index", index.name),
                     {object_key("table", index.table)},
                     index.definition + ";\n"});
  }
  for (const View& view : model.views) {
    items.push_back({object_key("view", view.name), {}, view.definition + ";\n"});
  }
  for (const Trigger& trigger : model.triggers) {
    ObjectName name{"", trigger.name};
    items.push_back({object_key("trigger", name),
                     {object_key("table", trigger.table), object_key("view", trigger.table)},
                     trigger.definition + ";\n"});
  }
  return items;
}

}  // namespace migrate
