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

}  // namespace migrate
