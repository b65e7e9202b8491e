#include "util/sql_text.hpp"

namespace migrate {

std::size_t blank_sql_prefix(std::string_view sql, bool nested_comments) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      // To the end of its line, which a lone carriage return ends too: PostgreSQL's lexer ends
      // it there, and so do migrate's lines (a file saved with CR alone).
      std::size_t end = sql.find_first_of("\n\r", i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(i, 2) == "/*") {
      i += 2;
      for (int depth = 1; depth > 0 && i < sql.size();) {
        if (nested_comments && sql.substr(i, 2) == "/*") {
          ++depth;
          i += 2;
        } else if (sql.substr(i, 2) == "*/") {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else {
      return i;
    }
  }
  return i;
}

std::string first_sql_keyword(std::string_view sql, bool nested_comments) {
  sql.remove_prefix(blank_sql_prefix(sql, nested_comments));
  std::string word;
  for (char c : sql) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) {
      break;
    }
    word += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return word;
}

}  // namespace migrate
