#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "db/driver.hpp"

namespace migrate {

/// A statement with `$n` parameters and their values: run with Driver::execute, or printed as
/// a script with inline_parameters.
struct SqlCommand {
  std::string sql;
  std::vector<SqlValue> params;
};

/// `name` or `schema.name` as a quoted SQL identifier ("schema"."name"), quotes doubled.
std::string quote_sql_identifier(std::string_view name);

/// `value` as an SQL string literal ('it''s'), or NULL.
std::string sql_literal(const SqlValue& value);

/// The command's SQL with each `$n` replaced by its value as a literal: for `--sql` scripts,
/// which are read by people and run by hand, never for execution by migrate itself.
std::string inline_parameters(const SqlCommand& command);

}  // namespace migrate
