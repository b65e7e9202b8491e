#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// `name` as an SQL identifier in a canonical dump: as it is when it is a plain lower-case word
/// (letters, digits and '_', not starting with a digit) and not `reserved` by the engine, else
/// in double quotes, its quotes doubled. Each engine's writer says what it reserves.
std::string sql_identifier(std::string_view name, bool reserved);

}  // namespace migrate
