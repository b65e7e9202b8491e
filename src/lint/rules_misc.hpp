#pragma once

#include "lint/rule_family.hpp"

namespace migrate {

/// The rest: domains with constraints (every column of the domain pays for a change),
/// TRUNCATE … CASCADE, names PostgreSQL cuts to 63 bytes, and a column named twice where
/// PostgreSQL refuses it.
const RuleFamily& misc_rules();

}  // namespace migrate
