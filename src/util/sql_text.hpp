#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace migrate {

// Reading around SQL's white space and comments, without parsing it: for the migration parser
// (blank sections) and the engines' statement checks. No engine's grammar: that is a Dialect's.

/// The length of the white space, `--` comments (to a line feed or a carriage return) and
/// `/* */` comments at the start of `sql`.
/// With `nested_comments` block comments nest, as in PostgreSQL (`/* a /* b */ c */` is one);
/// otherwise one ends at the first `*/`, as in SQLite.
std::size_t blank_sql_prefix(std::string_view sql, bool nested_comments = false);

/// The statement's first keyword (after white space and comments), upper-cased: "BEGIN".
std::string first_sql_keyword(std::string_view sql, bool nested_comments = false);

/// True when `sql` has nothing but white space, `--` comments and `/* */` comments.
inline bool is_blank_sql(std::string_view sql) {
  return blank_sql_prefix(sql) == sql.size();
}

}  // namespace migrate
