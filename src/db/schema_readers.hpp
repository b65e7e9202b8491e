#pragma once

#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;

/// The schema of the database `connection` is open on, read from its catalog by its engine's
/// reader (db/<engine>/<engine>_schema_reader). Throws DbError when the catalog cannot be read.
SchemaModel read_schema(Connection& connection, const SchemaReadOptions& options);

}  // namespace migrate
