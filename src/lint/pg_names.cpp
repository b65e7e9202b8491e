#include "lint/pg_names.hpp"

namespace migrate {

std::string qualified_name(const std::vector<PgNode>& names) {
  std::string joined;
  for (const PgNode& name : names) {
    if (!joined.empty()) {
      joined += '.';
    }
    joined += name.as_text();
  }
  return joined;
}

std::string_view last_name(const std::vector<PgNode>& names) {
  return names.empty() ? std::string_view() : names.back().as_text();
}

}  // namespace migrate
