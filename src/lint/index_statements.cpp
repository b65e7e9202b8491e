#include "lint/index_statements.hpp"

#include <regex>

#include "lint/pg_names.hpp"

namespace migrate {

bool concurrent_operation(const PgNode& node) {
  if (node.is("IndexStmt") || node.is("DropStmt")) {
    return node.flag("concurrent");
  }
  return node.is("ReindexStmt") && node.has_option("params", "concurrently");
}

IndexName created_index(const PgNode& index) {
  const PgNode* table = index.field("relation");
  return {table ? table->text("schemaname") : std::string_view(), index.text("idxname")};
}

std::vector<IndexName> dropped_indexes(const PgNode& drop) {
  std::vector<IndexName> names;
  if (drop.is("DropStmt") && drop.text("removeType") == "OBJECT_INDEX") {
    for (const PgNode& object : drop.list("objects")) {
      const std::vector<PgNode>& items = object.list("items");
      names.push_back({items.size() > 1 ? items[items.size() - 2].as_text() : std::string_view(),
                       last_name(items)});
    }
  }
  return names;
}

std::optional<std::size_t> concurrently_at(std::string_view sql) {
  static const std::regex kIndexKeywords(R"(^(CREATE\s+(UNIQUE\s+)?|DROP\s+)INDEX\b)",
                                         std::regex::icase);
  std::string start(sql.substr(0, 64));
  std::smatch match;
  if (!std::regex_search(start, match, kIndexKeywords)) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(match.length(0));
}

std::string with_concurrently(std::string_view sql, std::optional<std::size_t> keyword) {
  std::string text(sql);
  if (keyword) {
    text.insert(*keyword, " CONCURRENTLY");
  }
  return text;
}

}  // namespace migrate
