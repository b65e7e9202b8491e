#include "util/sql_text.hpp"

namespace migrate {

std::size_t blank_sql_prefix(std::string_view sql, bool postgres) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      // To the end of its line: PostgreSQL's lexer ends it at a carriage return too, SQLite's
      // only at a line feed.
      std::size_t end = sql.find_first_of(postgres ? "\n\r" : "\n", i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(i, 2) == "/*") {
      i += 2;
      for (int depth = 1; depth > 0 && i < sql.size();) {
        if (postgres && sql.substr(i, 2) == "/*") {
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

bool is_blank_sql(std::string_view sql) {
  return blank_sql_prefix(sql, false) == sql.size() && blank_sql_prefix(sql, true) == sql.size();
}

std::string first_sql_keyword(std::string_view sql, bool postgres) {
  sql.remove_prefix(blank_sql_prefix(sql, postgres));
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
