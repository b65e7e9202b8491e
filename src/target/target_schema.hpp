#pragma once

#include <memory>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

struct Target;

/// What a schema read leaves out: `state_table` (migrate's, as configured), and the state
/// tables of the other tools migrate knows (README, "Coming from another tool").
SchemaReadOptions schema_read_options(const std::string& state_table);
/// The same for `target`'s state table.
SchemaReadOptions schema_read_options(const Target& target);

/// The schema of `target`'s database, read-only. Throws DbError when it does not exist yet (a
/// SQLite file is never created for this) or cannot be read.
SchemaModel read_target_schema(const Target& target);

}  // namespace migrate
