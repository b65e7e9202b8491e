#pragma once

#include "lint/rule_family.hpp"

namespace migrate {

/// Column types that are regretted later: 32- and 16-bit integers that run out, serial instead
/// of identity, varchar(n), timestamp without time zone, char(n), and json on an existing table.
/// Checked wherever a column gets its type: CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE.
const RuleFamily& types_rules();

}  // namespace migrate
