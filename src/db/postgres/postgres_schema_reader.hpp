#pragma once

#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;

/// The schema of a PostgreSQL database, from pg_catalog through Connection::query alone (no
/// libpq here): the server writes every definition (pg_get_constraintdef, pg_get_indexdef,
/// pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef, pg_get_expr, format_type), with every
/// name schema-qualified, in one snapshot (a read-only transaction, or a savepoint inside the
/// caller's, whose settings are undone after). Left out: PostgreSQL's own schemas, temporary
/// ones, what extensions created, plpgsql (every database has it), `public` while it has its
/// default comment and privileges, the tables `options` names, and physical settings the model
/// has no place for (tablespaces, column storage and statistics targets, replica identity,
/// owners). Throws UnsupportedSchema naming every object the model cannot hold (foreign tables,
/// rules, event triggers, aggregates, operators, range types, table inheritance…).
SchemaModel read_postgres_schema(Connection& connection, const SchemaReadOptions& options);

}  // namespace migrate
