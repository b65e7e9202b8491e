#include "lint/touched_tables.hpp"

#include <regex>

namespace migrate {

namespace {

/// The name as written, reduced to what identifies the table: the part after the last dot,
/// without quotes, lower-cased (unquoted identifiers are case-insensitive in SQL).
std::string table_key(std::string name) {
  std::size_t dot = name.rfind('.');
  if (dot != std::string::npos) {
    name = name.substr(dot + 1);
  }
  std::string key;
  for (char c : name) {
    if (c != '"' && c != '`' && c != '[' && c != ']') {
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  return key;
}

}  // namespace

std::set<std::string> touched_tables(std::string_view sql) {
  static const std::regex kTableAfter(
      R"((?:(?:create|alter|drop)\s+table\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?)"
      R"(|create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?)"
      R"((?:[\w"]+\s+)?on\s+(?:only\s+)?)"
      R"(|insert\s+(?:or\s+\w+\s+)?into\s+|update\s+(?:only\s+)?|delete\s+from\s+(?:only\s+)?)"
      R"(|truncate\s+(?:table\s+)?|references\s+))"
      R"(((?:[A-Za-z_][\w$]*|"[^"]+")(?:\.(?:[A-Za-z_][\w$]*|"[^"]+"))?))",
      std::regex::icase | std::regex::optimize);
  std::set<std::string> tables;
  std::string text(sql);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kTableAfter);
       it != std::sregex_iterator(); ++it) {
    tables.insert(table_key((*it)[1].str()));
  }
  return tables;
}

}  // namespace migrate
