#include "state/state_table.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "state/foreign_state_reader.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr const char* kColumns[] = {
    "id",         "checksum", "applied_at", "duration_ms",     "applied_by",
    "git_commit", "title",    "down_sql",   "statements_done", "statements_total"};

constexpr std::string_view kSelect =
    "SELECT id, checksum, applied_at, duration_ms, applied_by, git_commit, title, down_sql, "
    "statements_done, statements_total FROM ";
constexpr std::string_view kSelectWithoutDownSql =
    "SELECT id, checksum, applied_at, duration_ms, applied_by, git_commit, title, NULL, "
    "statements_done, statements_total FROM ";

/// A count column: nullopt for NULL, 0 for what does not fit an int.
std::optional<int> to_int(std::optional<std::int64_t> value) {
  if (!value) {
    return std::nullopt;
  }
  return *value >= std::numeric_limits<int>::min() && *value <= std::numeric_limits<int>::max()
             ? static_cast<int>(*value)
             : 0;
}

/// Fills `applied`, a row made in place (moving each of thousands of rows into the vector cost
/// more than reading it), each text copied once from where the engine holds it.
void fill_row(AppliedMigration& applied, const SqlRowView& row) {
  auto text = [&](std::size_t column) { return row.text(column).value_or(std::string_view()); };
  applied.id = MigrationId::from_row(text(0));
  applied.checksum = text(1);
  applied.applied_at = text(2);
  applied.duration_ms = row.integer(3).value_or(0);
  applied.applied_by = text(4);
  applied.git_commit = text(5);
  applied.title = text(6);
  applied.down_sql = text(7);
  applied.statements_done = to_int(row.integer(8));
  applied.statements_total = to_int(row.integer(9));
}

SqlValue optional_int(const std::optional<int>& value) {
  return value ? SqlValue(std::to_string(*value)) : std::nullopt;
}

}  // namespace

StateTable::StateTable(Connection& connection, std::string name)
    : m_connection(connection), m_name(std::move(name)) {
  if (!is_plain_table_name(m_name)) {
    throw ConfigError(fmt::format(
        "bad state table name '{}': use letters, digits and '_' (optionally schema.table)",
        m_name));
  }
  m_qualified = m_connection.qualified_table(m_name);
  m_quoted = m_connection.dialect().quote_identifier(m_qualified);
}

bool StateTable::check_shape() {
  std::vector<std::string> columns = m_connection.table_columns(m_qualified);
  if (columns.empty()) {
    return false;
  }
  std::vector<std::string> missing;
  for (const char* column : kColumns) {
    if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
      missing.push_back(column);
    }
  }
  if (missing.empty()) {
    return true;
  }
  if (std::optional<ForeignTool> tool = tool_of_table(m_qualified, columns)) {
    throw ConfigError(fmt::format(
        "the table {} in {} is {}'s state table, not migrate's: both tools call theirs {}, and "
        "migrate never alters another tool's table. Give migrate a table of its own (`table = "
        "migrate_migrations` in the [migrate] section of migrate.conf), then run `migrate "
        "adopt`: it records there what {} applied, and {} keeps working as before",
        m_name, m_connection.display_name(), foreign_tool_name(*tool),
        m_name.substr(m_name.rfind('.') + 1),  // the name, in whichever schema
        foreign_tool_name(*tool), foreign_tool_name(*tool)));
  }
  throw ConfigError(fmt::format(
      "the table {} in {} was not made by migrate: it has the columns ({}), not ({}). migrate "
      "never alters it. Give migrate its own table (`table = migrate_migrations` in the "
      "[migrate] section of migrate.conf), then record what this database already has with "
      "`migrate-upgrade --fake <last applied revision>`",
      m_name, m_connection.display_name(), fmt::join(columns, ", "), fmt::join(missing, ", ")));
}

std::vector<AppliedMigration> StateTable::read(DownSql down_sql) {
  std::vector<AppliedMigration> rows;
  if (!check_shape()) {
    return rows;
  }
  m_connection.query_each(
      fmt::format("{}{}", down_sql == DownSql::read ? kSelect : kSelectWithoutDownSql, m_quoted),
      {}, [&rows](const SqlRowView& row) { fill_row(rows.emplace_back(), row); });
  // Oldest first; rows applied at the same moment (one --single-transaction run) in id order,
  // ids comparing as numbers ("9" before "10"), which SQL's text order would not do.
  auto oldest_first = [](const AppliedMigration& a, const AppliedMigration& b) {
    return a.applied_at != b.applied_at ? a.applied_at < b.applied_at : a.id < b.id;
  };
  // Most often already so (rows come back in the order they were written): not moved then.
  if (!std::is_sorted(rows.begin(), rows.end(), oldest_first)) {
    std::stable_sort(rows.begin(), rows.end(), oldest_first);
  }
  return rows;
}

std::optional<AppliedMigration> StateTable::find(const MigrationId& id) {
  std::optional<AppliedMigration> found;
  m_connection.query_each(fmt::format("{}{} WHERE id = {}", kSelect, m_quoted, placeholder(1)),
                          {id.text()}, [&found](const SqlRowView& row) {
                            if (!found) {  // the first, as ever (the id is the key: there is one)
                              fill_row(found.emplace(), row);
                            }
                          });
  return found;
}

bool StateTable::contains(const MigrationId& id) {
  return !m_connection
              .query(fmt::format("SELECT 1 FROM {} WHERE id = {}", m_quoted, placeholder(1)),
                     {id.text()})
              .empty();
}

void StateTable::ensure() {
  if (check_shape()) {
    return;
  }
  try {
    m_connection.create_schema_for(m_name);
    run(create_command());
  } catch (const DbError& e) {
    throw DbError(fmt::format("cannot create the state table {} in {}: {}", m_name,
                              m_connection.display_name(), e.what()));
  }
}

SqlCommand StateTable::create_command() const {
  return {m_connection.dialect().state_table_ddl(m_quoted), {}};
}

SqlCommand StateTable::insert_command(const AppliedMigration& row) const {
  return {
      fmt::format("INSERT INTO {} (id, checksum, applied_at, duration_ms, applied_by, "
                  "git_commit, title, down_sql, statements_done, statements_total) "
                  "VALUES ({})",
                  m_quoted, placeholder_list(10)),
      {row.id.text(), row.checksum, row.applied_at, std::to_string(row.duration_ms), row.applied_by,
       row.git_commit.empty() ? std::nullopt : SqlValue(row.git_commit), row.title, row.down_sql,
       optional_int(row.statements_done), optional_int(row.statements_total)}};
}

SqlCommand StateTable::delete_command(const MigrationId& id) const {
  return {fmt::format("DELETE FROM {} WHERE id = {}", m_quoted, placeholder(1)), {id.text()}};
}

SqlCommand StateTable::rekey_command(const MigrationId& from, const MigrationId& to) const {
  return {
      fmt::format("UPDATE {} SET id = {} WHERE id = {}", m_quoted, placeholder(2), placeholder(1)),
      {from.text(), to.text()}};
}

SqlCommand StateTable::progress_command(const MigrationId& id, int done, int total,
                                        std::int64_t duration_ms,
                                        const std::string& checksum) const {
  return {fmt::format("UPDATE {} SET statements_done = {}, statements_total = {}, "
                      "duration_ms = {}, checksum = {} WHERE id = {}",
                      m_quoted, placeholder(2), placeholder(3), placeholder(4), placeholder(5),
                      placeholder(1)),
          {id.text(), std::to_string(done), std::to_string(total), std::to_string(duration_ms),
           checksum}};
}

std::string StateTable::placeholder(int n) const {
  return m_connection.dialect().placeholder(n);
}

std::string StateTable::placeholder_list(int count) const {
  std::vector<std::string> list;
  for (int n = 1; n <= count; ++n) {
    list.push_back(placeholder(n));
  }
  return fmt::format("{}", fmt::join(list, ", "));
}

void StateTable::run(const SqlCommand& command) {
  m_connection.execute(command.sql, command.params);
}

}  // namespace migrate
