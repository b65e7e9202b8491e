#pragma once

#include "migration/placeholders.hpp"

namespace migrate {

struct Plan;

/// Replaces the `${name}` placeholders of every Flyway migration's section in `plan` with
/// `values` (placeholder_values; the files keep theirs: checksums and the parse cache never see
/// a value), as Flyway does before it parses a file. Call it on each plan before it is printed,
/// scripted or run, and before apply_format_transaction_rules, which must see the statements
/// that run. Throws ParseError at the file and line of a placeholder with no value, before
/// anything runs.
void apply_placeholders(Plan& plan, const PlaceholderValues& values);

}  // namespace migrate
