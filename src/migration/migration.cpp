#include "migration/migration.hpp"

namespace migrate {

std::size_t blank_sql_prefix(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(i, 2) == "/*") {
      std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      return i;
    }
  }
  return i;
}

bool Section::blank() const {
  return is_blank_sql(sql);
}

std::string Migration::stem() const {
  return slug.empty() ? id.text() : id.text() + "_" + slug;
}

std::string Migration::title() const {
  for (const std::string& line : doc) {
    if (!line.empty()) {
      return line;
    }
  }
  std::string words = slug;
  for (char& c : words) {
    if (c == '_') {
      c = ' ';
    }
  }
  return words;
}

}  // namespace migrate
