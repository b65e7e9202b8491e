#include "schema/sql_identifier.hpp"

#include <algorithm>

namespace migrate {

std::string sql_identifier(std::string_view name, bool reserved) {
  bool plain = !name.empty() && !(name.front() >= '0' && name.front() <= '9') &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
               });
  if (plain && !reserved) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace migrate
