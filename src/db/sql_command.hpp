#pragma once

#include <optional>
#include <string>
#include <vector>

namespace migrate {

/// A value bound to a parameter (Dialect::placeholder); nullopt is NULL. Numbers travel as
/// text and the database converts them by the column's type.
using SqlValue = std::optional<std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

/// A statement with parameters and their values: run with Connection::execute, or printed as a
/// script with Dialect::inline_parameters.
struct SqlCommand {
  std::string sql;
  std::vector<SqlValue> params;
};

}  // namespace migrate
