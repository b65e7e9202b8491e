#pragma once

#include "schema/schema_migration.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

/// The migration that takes a PostgreSQL schema `from` to `to`, and back. Pure: nothing is run.
///
/// Objects are matched by key (object_key, member_key: constraints, triggers and policies by
/// their names on their table). What PostgreSQL can change in place is changed in place:
/// columns (ADD, DROP, TYPE … USING, DEFAULT, NOT NULL, identity, DROP EXPRESSION), table
/// storage options and UNLOGGED, enums that gain values (ADD VALUE), functions whose signature
/// stays (CREATE OR REPLACE), row level security, a sequence's OWNED BY, and every comment and
/// privilege (COMMENT ON, GRANT and REVOKE of the difference). Everything else that changed is
/// dropped and created again from postgres_dump_items' statements: constraints, indexes, views,
/// triggers, policies, domains, composite types, sequences, and an enum that loses or reorders
/// values (the old type renamed, the new one created, the columns converted through text, the
/// old one dropped). What depends on a dropped object (model.dependencies) is dropped before it
/// and created again after, transitively; so are the views, policies and triggers on a table
/// whose columns change type or are dropped, which PostgreSQL would refuse to change under them.
///
/// Order: drops (dependents first), then the columns taken out of tables, then the rest of the
/// drops; then creates and in-place changes in dependency order (postgres_dump_items' order);
/// comments and privileges last. Every statement that can lose data, rewrite a table or hold a
/// long lock is preceded by `-- hazard: <kind>: <what>` and listed in the changes.
///
/// Column order: PostgreSQL cannot reorder a table's columns, and ADD COLUMN appends. When TO's
/// order is not what the migration leaves (the columns kept, in FROM's order, then the added
/// ones), that is listed as a change with no statement ("column order of t differs: PostgreSQL
/// cannot reorder columns; left as is"), so the migration is not empty and a model compare
/// after it sees the difference the migration leaves, rather than hiding it.
///
/// Not generated (UsageError): changes of a table's partitioning, and a type, domain or sequence
/// that must be dropped while a table still uses it.
SchemaMigration postgres_schema_migration(const SchemaModel& from, const SchemaModel& to);

}  // namespace migrate
