#include "db/sql_literal.hpp"

namespace migrate {

std::string quote_sql_identifier(std::string_view name) {
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

std::string sql_literal(const SqlValue& value) {
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

std::string inline_parameters(const SqlCommand& command) {
  const std::string& sql = command.sql;
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$' || i + 1 >= sql.size() || sql[i + 1] < '1' || sql[i + 1] > '9') {
      out += sql[i];
      continue;
    }
    std::size_t n = 0;
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') {
      n = n * 10 + static_cast<std::size_t>(sql[j] - '0');
      ++j;
    }
    out += n >= 1 && n <= command.params.size() ? sql_literal(command.params[n - 1])
                                                : sql.substr(i, j - i);
    i = j - 1;
  }
  return out;
}

}  // namespace migrate
