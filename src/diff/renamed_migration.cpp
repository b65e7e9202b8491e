#include "diff/renamed_migration.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "schema/schema_dump.hpp"

namespace migrate {

namespace {

const Table* find_table(const SchemaModel& model, const std::string& name) {
  for (const Table& table : model.tables) {
    if (table.name.name == name) {
      return &table;
    }
  }
  return nullptr;
}

bool has_column(const Table* table, const std::string& name) {
  if (table == nullptr) {
    return false;
  }
  for (const Column& column : table->columns) {
    if (column.name == name) {
      return true;
    }
  }
  return false;
}

/// The renames FROM still needs: its old name there and its new one not yet.
SchemaRenames applicable(const SchemaModel& from, const SchemaModel& to,
                         const SchemaRenames& renames) {
  SchemaRenames kept;
  for (const auto& [now, before] : renames.tables) {
    if (find_table(from, before) != nullptr && find_table(from, now) == nullptr &&
        find_table(to, now) != nullptr) {
      kept.tables[now] = before;
    }
  }
  for (const auto& [key, before] : renames.columns) {
    const auto& [table, now] = key;
    auto renamed_table = kept.tables.find(table);
    const Table* old_table =
        find_table(from, renamed_table == kept.tables.end() ? table : renamed_table->second);
    if (has_column(old_table, before) && !has_column(old_table, now) &&
        has_column(find_table(to, table), now)) {
      kept.columns[key] = before;
    }
  }
  return kept;
}

}  // namespace

SchemaMigration migration_with_renames(DevDatabases& dev, const SchemaModel& from,
                                       const SchemaModel& to, const SchemaRenames& renames,
                                       const SchemaReadOptions& options) {
  SchemaRenames kept = applicable(from, to, renames);
  if (kept.empty()) {
    return diff_schemas(from, to);
  }
  std::unique_ptr<DevDatabase> database = dev.open();
  Connection& connection = database->connection();
  load_schema(connection, from);
  std::vector<std::string> forward = rename_statements(from.engine, kept, false);
  for (const std::string& statement : forward) {
    connection.execute(statement);
  }
  SchemaMigration rest = diff_schemas(read_schema(connection, options), to);
  SchemaMigration migration;
  for (const auto& [now, before] : kept.tables) {
    migration.changes.push_back({fmt::format("rename table {} to {}", before, now), ""});
  }
  for (const auto& [key, before] : kept.columns) {
    migration.changes.push_back(
        {fmt::format("rename column {}.{} to {}", key.first, before, key.second), ""});
  }
  migration.changes.insert(migration.changes.end(), rest.changes.begin(), rest.changes.end());
  migration.up = rest.up;
  migration.up.statements.insert(migration.up.statements.begin(), forward.begin(), forward.end());
  migration.down = rest.down;
  for (std::string& statement : rename_statements(from.engine, kept, true)) {
    migration.down.statements.push_back(std::move(statement));
  }
  migration.notes = rest.notes;
  return migration;
}

}  // namespace migrate
