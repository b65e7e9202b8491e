#pragma once

#include <optional>
#include <string>

#include "lint/pg_node.hpp"

namespace migrate {

/// Why `statement` (a parse tree node) fails, or does its work twice, when it runs a second
/// time after it succeeded: "ADD COLUMN email without IF NOT EXISTS", "CREATE TYPE, which has
/// no IF NOT EXISTS". nullopt for a statement that can run again: one with IF [NOT] EXISTS or
/// OR REPLACE, settings, grants, ALTER COLUMN … TYPE/SET NOT NULL/SET DEFAULT, DML (whose
/// effect a linter cannot judge), and `DROP CONSTRAINT IF EXISTS c, ADD CONSTRAINT c` in one
/// ALTER TABLE.
std::optional<std::string> not_rerunnable(const PgNode& statement);

}  // namespace migrate
