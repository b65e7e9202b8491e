#pragma once

#include "lint/rule_family.hpp"

namespace migrate {

/// Changes that break the application code deployed while the migration runs, which still
/// reads and writes the old names: dropping a column, a table, a database or a NOT NULL, and
/// renaming a column, a table, a schema or an enum value. Silent for tables created on this
/// branch, which no deployed code uses yet.
const RuleFamily& breaking_rules();

}  // namespace migrate
