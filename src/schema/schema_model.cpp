#include "schema/schema_model.hpp"

#include <algorithm>

namespace migrate {

std::string display_name(const ObjectName& name) {
  return name.schema.empty() ? name.name : name.schema + "." + name.name;
}

std::string object_key(std::string_view kind, const ObjectName& name, std::string_view arguments) {
  std::string key(kind);
  key += ' ';
  key += display_name(name);
  if (kind == "function") {
    key += '(';
    key += arguments;
    key += ')';
  }
  return key;
}

std::string member_key(std::string_view kind, const ObjectName& table, std::string_view name) {
  return object_key(kind, table) + "." + std::string(name);
}

namespace {

SchemaModel columns_by_name(SchemaModel model) {
  for (Table& table : model.tables) {
    std::sort(table.columns.begin(), table.columns.end(),
              [](const Column& a, const Column& b) { return a.name < b.name; });
  }
  return model;
}

}  // namespace

bool same_schema(const SchemaModel& a, const SchemaModel& b) {
  if (a == b) {
    return true;
  }
  return a.engine == "postgresql" && b.engine == "postgresql" &&
         columns_by_name(a) == columns_by_name(b);
}

}  // namespace migrate
