#include "lint/lint_context.hpp"

#include <algorithm>
#include <cctype>

namespace migrate {

std::string table_name(const PgNode& range_var) {
  std::string name(range_var.text("relname"));
  std::string_view schema = range_var.text("schemaname");
  return schema.empty() ? name : std::string(schema) + "." + name;
}

namespace {

/// A table's key in new_tables. A name without a schema is taken to be in `public`, where
/// PostgreSQL's default search_path creates and finds it.
std::string table_key(std::string_view schema, std::string_view name) {
  return std::string(schema.empty() ? "public" : schema) + "." + std::string(name);
}

}  // namespace

bool LintContext::is_new_table(const PgNode& range_var) const {
  return is_new_table(range_var.text("schemaname"), range_var.text("relname"));
}

bool LintContext::is_new_table(std::string_view schema, std::string_view name) const {
  return new_tables.contains(table_key(schema, name));
}

void LintContext::add_new_table(std::string_view schema, std::string_view name) {
  new_tables.insert(table_key(schema, name));
}

bool LintContext::is_partitioned(const PgNode& range_var) const {
  return partitioned_tables.contains(
      table_key(range_var.text("schemaname"), range_var.text("relname")));
}

void LintContext::note_partitioned(const PgNode& statement) {
  const PgNode* table = statement.field("relation");
  if (statement.is("CreateStmt") && statement.field("partspec") != nullptr && table != nullptr) {
    partitioned_tables.insert(table_key(table->text("schemaname"), table->text("relname")));
  }
}

std::span<const LintStatement> LintContext::before() const {
  if (section == nullptr) {
    return {};
  }
  return std::span<const LintStatement>(section->data(), std::min(index, section->size()));
}

}  // namespace migrate
