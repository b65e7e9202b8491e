#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "lint/finding.hpp"

namespace migrate {

/// The estimated rows of a finding's table (PostgreSQL's pg_class.reltuples); nullopt when
/// unknown (no such table, never analyzed).
using TableRows = std::function<std::optional<double>(const Finding& finding)>;

/// Lowers to a note each finding whose cost grows with its table (Finding::table) when the
/// table is estimated under `small_table` rows, saying the estimate: a rewrite of 40 rows
/// takes no time. Each table is asked about once.
void lower_for_small_tables(std::vector<Finding>& findings, const TableRows& rows,
                            long small_table);

}  // namespace migrate
