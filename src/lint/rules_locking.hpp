#pragma once

#include "lint/rule_family.hpp"

namespace migrate {

/// ALTER TABLE changes that hold a strong lock on an existing table while PostgreSQL rewrites
/// or scans it, or that fail on a table with rows: column defaults, generated and
/// auto-increment columns, NOT NULL, constraints added without NOT VALID, unique, primary key
/// and exclusion constraints, column type changes, json columns. Tables that no deployed code
/// uses yet (LintContext::new_tables) are exempt from all of them.
const RuleFamily& locking_rules();

}  // namespace migrate
