#include "schema/schema_model.hpp"

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

}  // namespace migrate
