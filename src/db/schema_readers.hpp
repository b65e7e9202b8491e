#pragma once

#include <optional>
#include <string>

#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;

/// The schema of the database `connection` is open on, read from its catalog by its engine's
/// reader (db/<engine>/<engine>_schema_reader). Throws DbError when the catalog cannot be read.
SchemaModel read_schema(Connection& connection, const SchemaReadOptions& options);

/// A cheap token of the schema `connection` holds, where its engine has one: equal tokens mean
/// equal schemas, different ones may still be equal (compare read_schema's models then).
/// SQLite's is sqlite_schema's rows (sqlite_schema_fingerprint); nullopt where nothing cheaper
/// than read_schema is sound (PostgreSQL: a catalog's rows change on a down that gives back the
/// same schema, and its objects get new OIDs when made again).
std::optional<std::string> schema_fingerprint(Connection& connection);

}  // namespace migrate
