#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/schema_dump.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

/// A PostgreSQL schema as the statements that create it (schema_dump's items), given by kind and
/// then by name: schemas, extensions, types (enums, domains, composites), sequences, tables
/// (partitions as PARTITION OF their parent), sequences' OWNED BY, views, functions, then the
/// tables' constraints (foreign keys last) as ALTER TABLE … ADD CONSTRAINT, indexes, triggers, row
/// level security and policies. Each item carries its object's comments and grants. Functions
/// come after the tables and views, where a LANGUAGE sql body that reads them can be checked,
/// unless something before needs one (a default that calls it: model.dependencies pull it
/// forward). Names are schema-qualified and quoted where PostgreSQL needs it.
std::vector<DumpItem> postgres_dump_items(const SchemaModel& model);

/// `name` as a PostgreSQL identifier, as the server's quote_ident() spells it: as it is when it
/// is a plain lower-case word that is not a keyword PostgreSQL reserves in any position (only
/// its unreserved keywords pass), else in double quotes ("Order", "my table", "select").
std::string postgres_identifier(std::string_view name);

/// "schema.name", each part quoted where needed; the name alone without a schema.
std::string postgres_qualified(const ObjectName& name);

/// `text` as a string literal: in single quotes, doubled inside, and as an E'' string with its
/// backslashes doubled when it has any, so that standard_conforming_strings does not matter.
std::string postgres_literal(std::string_view text);

/// A column as CREATE TABLE and ALTER TABLE … ADD COLUMN write it: name, type, COLLATE, the
/// default or generation expression, NOT NULL, identity.
std::string postgres_column_definition(const Column& column);

/// The sequence of an identity column, qualified and quoted: the SEQUENCE NAME its options give,
/// else the name the reader found it has (<table>_<column>_seq).
std::string postgres_identity_sequence(const ObjectName& table, const Column& column);

/// A catalog text without what ends it: pg_get_viewdef's ";", pg_get_functiondef's newline.
std::string_view postgres_statement_body(std::string_view text);

}  // namespace migrate
