#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace migrate {

// Reading around SQL's white space and comments, without parsing it: for the migration parser
// (blank sections) and the engines' statement checks. No engine's grammar: that is a Dialect's.

/// The length of the white space, `--` comments and `/* */` comments at the start of `sql`, as
/// an engine's lexer reads them: with `postgres`, block comments nest (`/* a /* b */ c */` is
/// one) and a line comment ends at a carriage return too; otherwise, as in SQLite, a block
/// comment ends at the first `*/` and a line comment only at a line feed.
std::size_t blank_sql_prefix(std::string_view sql, bool postgres = false);

/// The statement's first keyword (after white space and comments), upper-cased: "BEGIN".
std::string first_sql_keyword(std::string_view sql, bool postgres = false);

/// True when `sql` has nothing but white space and comments to either engine: what one of
/// them would run is never taken for blank (`-- x\rDROP TABLE t;` runs on PostgreSQL).
bool is_blank_sql(std::string_view sql);

}  // namespace migrate
