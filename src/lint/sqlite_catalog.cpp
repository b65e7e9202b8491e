#include "lint/sqlite_catalog.hpp"

#include <algorithm>
#include <cctype>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "db/statement_trace.hpp"

namespace migrate {

namespace {

std::string text(const SqlValue& value) {
  return value.value_or("");
}

std::vector<SqlRow> query_with(Connection& database, std::string_view sql_with_placeholder,
                               std::string_view value) {
  std::string sql(sql_with_placeholder);
  std::string placeholder = database.dialect().placeholder(1);
  for (std::size_t at = sql.find("{}"); at != std::string::npos; at = sql.find("{}", at)) {
    sql.replace(at, 2, placeholder);
  }
  return database.query(sql, {std::string(value)});
}

/// SQLite's message when `sql` does not compile on `database` (prepared only); empty when it
/// does.
std::string compile_error(Connection& database, const std::string& sql) {
  std::optional<StatementTrace> trace = trace_statement(database, sql, false);
  return trace && trace->error ? *trace->error : std::string();
}

}  // namespace

std::string lower_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::map<std::string, std::string> sqlite_tables(Connection& database) {
  std::map<std::string, std::string> tables;
  for (const SqlRow& row :
       database.query("SELECT name FROM main.sqlite_schema WHERE type = 'table'")) {
    tables.emplace(lower_name(text(row[0])), text(row[0]));
  }
  return tables;
}

std::vector<SqliteColumn> sqlite_columns(Connection& database, std::string_view table) {
  std::vector<SqliteColumn> columns;
  for (const SqlRow& row : query_with(database,
                                      "SELECT name, type, \"notnull\", dflt_value, hidden FROM "
                                      "pragma_table_xinfo({}) ORDER BY cid",
                                      table)) {
    columns.push_back({text(row[0]), text(row[1]), text(row[2]) == "1", row[3].has_value(),
                       text(row[3]), text(row[4]) != "0"});
  }
  return columns;
}

std::vector<SqliteReference> sqlite_references_to(Connection& database, std::string_view table) {
  std::vector<SqliteReference> references;
  for (const SqlRow& row : query_with(
           database,
           "SELECT m.name, f.\"from\", f.\"to\", f.on_delete FROM main.sqlite_schema AS m, "
           "pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.\"table\" = {} "
           "COLLATE NOCASE AND m.name <> {} COLLATE NOCASE ORDER BY m.name, f.id, f.seq",
           table)) {
    references.push_back({text(row[0]), text(row[1]), text(row[2]), text(row[3])});
  }
  return references;
}

bool sqlite_foreign_keys_on(Connection& database) {
  const ForeignKeySwitch* foreign_keys = database.dialect().foreign_key_switch();
  return foreign_keys != nullptr &&
         foreign_keys->enabled(database.query(foreign_keys->state_query()));
}

std::map<std::string, std::string> sqlite_broken_dependents(Connection& database) {
  const Dialect& dialect = database.dialect();
  std::map<std::string, std::string> broken;
  for (const SqlRow& row :
       database.query("SELECT type, name, tbl_name FROM main.sqlite_schema WHERE type IN ('view', "
                      "'trigger') ORDER BY type, name")) {
    if (text(row[0]) == "view") {
      std::string error =
          compile_error(database, "SELECT * FROM " + dialect.quote_identifier(text(row[1])));
      if (!error.empty()) {
        broken.emplace("view " + text(row[1]), error);
      }
      continue;
    }
    std::string key = "a trigger on " + text(row[2]);
    if (broken.contains(key)) {
      continue;
    }
    std::string table = dialect.quote_identifier(text(row[2]));
    std::string assignments;
    for (const SqliteColumn& column : sqlite_columns(database, text(row[2]))) {
      if (!column.hidden) {
        std::string name = dialect.quote_identifier(column.name);
        assignments += (assignments.empty() ? "" : ", ") + name + " = " + name;
      }
    }
    for (const std::string& firing :
         {"INSERT INTO " + table + " DEFAULT VALUES", "DELETE FROM " + table,
          assignments.empty() ? std::string() : "UPDATE " + table + " SET " + assignments}) {
      std::string error = firing.empty() ? std::string() : compile_error(database, firing);
      if (!error.empty()) {
        broken.emplace(key, error);
        break;
      }
    }
  }
  return broken;
}

}  // namespace migrate
