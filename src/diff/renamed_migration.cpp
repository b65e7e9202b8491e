#include "diff/renamed_migration.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "schema/schema_dump.hpp"

namespace migrate {

namespace {

/// Names as the engine compares them: SQLite's know no case, PostgreSQL's do.
bool same_name(const SchemaModel& schema, std::string_view a, std::string_view b) {
  if (schema.engine != "sqlite") {
    return a == b;
  }
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const Table* find_table(const SchemaModel& model, std::string_view name) {
  for (const Table& table : model.tables) {
    if (same_name(model, table.name.name, name)) {
      return &table;
    }
  }
  return nullptr;
}

const Column* find_column(const SchemaModel& model, const Table* table, std::string_view name) {
  if (table == nullptr) {
    return nullptr;
  }
  for (const Column& column : table->columns) {
    if (same_name(model, column.name, name)) {
      return &column;
    }
  }
  return nullptr;
}

const Index* find_index(const SchemaModel& model, std::string_view name) {
  for (const Index& index : model.indexes) {
    if (same_name(model, index.name.name, name)) {
      return &index;
    }
  }
  return nullptr;
}

const EnumType* find_enum(const SchemaModel& model, std::string_view name) {
  for (const EnumType& type : model.enums) {
    if (type.name.name == name) {
      return &type;
    }
  }
  return nullptr;
}

bool has_type(const SchemaModel& model, std::string_view name) {
  auto named = [&](const auto& list) {
    return std::any_of(list.begin(), list.end(),
                       [&](const auto& type) { return type.name.name == name; });
  };
  return named(model.enums) || named(model.domains) || named(model.composite_types);
}

/// The renames FROM still needs (its old name there and its new one not yet), each by the
/// names the two schemas spell.
SchemaRenames applicable(const SchemaModel& from, const SchemaModel& to,
                         const SchemaRenames& renames) {
  SchemaRenames kept;
  for (const auto& [now, before] : renames.tables) {
    const Table* old_table = find_table(from, before);
    const Table* new_table = find_table(to, now);
    if (old_table != nullptr && new_table != nullptr && find_table(from, now) == nullptr) {
      kept.tables[new_table->name.name] = old_table->name.name;
    }
  }
  for (const auto& [key, before] : renames.columns) {
    const auto& [table, now] = key;
    const Table* new_table = find_table(to, table);
    if (new_table == nullptr) {
      continue;
    }
    auto renamed_table = kept.tables.find(new_table->name.name);
    const Table* old_table = find_table(
        from, renamed_table == kept.tables.end() ? new_table->name.name : renamed_table->second);
    const Column* old_column = find_column(from, old_table, before);
    const Column* new_column = find_column(to, new_table, now);
    if (old_column != nullptr && new_column != nullptr &&
        find_column(from, old_table, now) == nullptr) {
      kept.columns[{new_table->name.name, new_column->name}] = old_column->name;
    }
  }
  // SQLite has no ALTER INDEX … RENAME: its index is dropped and made again, which loses
  // nothing.
  for (const auto& [now, before] : renames.indexes) {
    if (from.engine != "sqlite" && find_index(from, before) != nullptr &&
        find_index(to, now) != nullptr && find_index(from, now) == nullptr) {
      kept.indexes[find_index(to, now)->name.name] = find_index(from, before)->name.name;
    }
  }
  for (const auto& [now, before] : renames.types) {
    if (has_type(from, before) && has_type(to, now) && !has_type(from, now)) {
      kept.types[now] = before;
    }
  }
  for (const auto& [key, before] : renames.enum_values) {
    const auto& [type, now] = key;
    auto renamed_type = kept.types.find(type);
    const EnumType* old_type =
        find_enum(from, renamed_type == kept.types.end() ? type : renamed_type->second);
    const EnumType* new_type = find_enum(to, type);
    auto has = [](const EnumType* e, const std::string& value) {
      return e != nullptr &&
             std::find(e->values.begin(), e->values.end(), value) != e->values.end();
    };
    if (has(old_type, before) && !has(old_type, now) && has(new_type, now)) {
      kept.enum_values[key] = before;
    }
  }
  return kept;
}

/// `schema` after `statements`, as a development database's catalog says: the names the
/// engine rewrote in views and triggers included.
SchemaModel after(DevDatabases& dev, const SchemaModel& schema,
                  const std::vector<std::string>& statements, const SchemaReadOptions& options) {
  std::unique_ptr<DevDatabase> database = dev.open();
  Connection& connection = database->connection();
  load_schema(connection, schema);
  for (const std::string& statement : statements) {
    connection.execute(statement);
  }
  return read_schema(connection, options);
}

}  // namespace

SchemaMigration migration_with_renames(DevDatabases& dev, const SchemaModel& from,
                                       const SchemaModel& to, const SchemaRenames& renames,
                                       const SchemaReadOptions& options) {
  SchemaRenames kept = applicable(from, to, renames);
  if (kept.empty()) {
    return diff_schemas(from, to);
  }
  // Each way the renames first, then the rest from what they left: up from FROM renamed to
  // TO, down from TO renamed back to FROM.
  std::vector<std::string> forward = rename_statements(from.engine, kept, false);
  std::vector<std::string> backward = rename_statements(from.engine, kept, true);
  SchemaMigration up = diff_schemas(after(dev, from, forward, options), to);
  SchemaMigration down = diff_schemas(after(dev, to, backward, options), from);
  SchemaMigration migration;
  for (const auto& [now, before] : kept.tables) {
    migration.changes.push_back({fmt::format("rename table {} to {}", before, now), ""});
  }
  for (const auto& [key, before] : kept.columns) {
    migration.changes.push_back(
        {fmt::format("rename column {}.{} to {}", key.first, before, key.second), ""});
  }
  for (const auto& [now, before] : kept.indexes) {
    migration.changes.push_back({fmt::format("rename index {} to {}", before, now), ""});
  }
  for (const auto& [now, before] : kept.types) {
    migration.changes.push_back({fmt::format("rename type {} to {}", before, now), ""});
  }
  for (const auto& [key, before] : kept.enum_values) {
    migration.changes.push_back(
        {fmt::format("rename value '{}' of {} to '{}'", before, key.first, key.second), ""});
  }
  migration.changes.insert(migration.changes.end(), up.changes.begin(), up.changes.end());
  migration.up = up.up;
  migration.up.statements.insert(migration.up.statements.begin(), forward.begin(), forward.end());
  migration.down = down.up;
  migration.down.statements.insert(migration.down.statements.begin(), backward.begin(),
                                   backward.end());
  migration.notes = up.notes;
  migration.possible_renames = up.possible_renames;
  return migration;
}

}  // namespace migrate
