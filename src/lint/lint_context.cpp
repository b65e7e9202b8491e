#include "lint/lint_context.hpp"

#include <algorithm>
#include <cctype>

namespace migrate {

std::string table_name(const PgNode& range_var) {
  std::string name(range_var.text("relname"));
  std::string_view schema = range_var.text("schemaname");
  return schema.empty() ? name : std::string(schema) + "." + name;
}

bool LintContext::is_new_table(const PgNode& range_var) const {
  // libpg_query has already folded unquoted names to lower case.
  return new_tables.contains(std::string(range_var.text("relname")));
}

std::span<const LintStatement> LintContext::before() const {
  if (section == nullptr) {
    return {};
  }
  return std::span<const LintStatement>(section->data(), std::min(index, section->size()));
}

}  // namespace migrate
