#include "db/dialect.hpp"

#include <fmt/format.h>

namespace migrate {

std::string Dialect::quote_identifier(std::string_view name) const {
  std::string quoted;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    quoted += '"';
    for (char c : part) {
      quoted += c;
      if (c == '"') {
        quoted += '"';
      }
    }
    quoted += '"';
    if (dot == std::string_view::npos) {
      return quoted;
    }
    quoted += '.';
    start = dot + 1;
  }
}

std::string Dialect::literal(const SqlValue& value) const {
  if (!value) {
    return "NULL";
  }
  std::string literal = "'";
  for (char c : *value) {
    literal += c;
    if (c == '\'') {
      literal += '\'';
    }
  }
  literal += '\'';
  return literal;
}

std::string Dialect::placeholder(int n) const {
  return fmt::format("${}", n);
}

std::string Dialect::inline_parameters(const SqlCommand& command) const {
  // One pass, left to right, so a value that reads like a placeholder stays as it is; the
  // longest placeholder first, so $10 is not taken for $1 followed by 0.
  std::vector<std::string> placeholders;
  for (std::size_t n = command.params.size(); n >= 1; --n) {
    placeholders.push_back(placeholder(static_cast<int>(n)));
  }
  std::string_view sql = command.sql;
  std::string out;
  for (std::size_t i = 0; i < sql.size();) {
    std::size_t n = command.params.size();
    for (const std::string& text : placeholders) {
      if (sql.substr(i).starts_with(text) &&
          (i + text.size() >= sql.size() || sql[i + text.size()] < '0' ||
           sql[i + text.size()] > '9')) {
        break;
      }
      --n;
    }
    if (n == 0) {
      out += sql[i++];
      continue;
    }
    out += literal(command.params[n - 1]);
    i += placeholders[command.params.size() - n].size();
  }
  return out;
}

std::string Dialect::state_table_ddl(std::string_view quoted) const {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (\n"
      "  id TEXT PRIMARY KEY,\n"
      "  checksum TEXT NOT NULL,\n"
      "  applied_at TEXT NOT NULL,\n"
      "  duration_ms INTEGER NOT NULL DEFAULT 0,\n"
      "  applied_by TEXT,\n"
      "  git_commit TEXT,\n"
      "  title TEXT,\n"
      "  down_sql TEXT,\n"
      "  statements_done INTEGER,\n"
      "  statements_total INTEGER\n"
      ")",
      quoted);
}

}  // namespace migrate
