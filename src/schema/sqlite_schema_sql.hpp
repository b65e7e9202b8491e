#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/schema_dump.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

/// A SQLite schema as the statements that create it (schema_dump's items): per table its
/// CREATE TABLE (columns, then its constraints, WITHOUT ROWID / STRICT), then its indexes, the
/// views, the triggers (each after its table or view). Names are quoted where SQLite needs it.
std::vector<DumpItem> sqlite_dump_items(const SchemaModel& model);

/// `name` as a SQLite identifier: as it is when it is a plain lower-case word that is no SQLite
/// keyword (`users`, `created_at`), else in double quotes ("Order", "my table", "order").
std::string sqlite_identifier(std::string_view name);

/// A column as CREATE TABLE and ADD COLUMN take it: name, type, COLLATE, NOT NULL, DEFAULT
/// (an expression in parentheses), GENERATED ALWAYS AS.
std::string sqlite_column_definition(const Column& column);

/// Whether a default is a literal (a number, a string, NULL, TRUE, FALSE): what ALTER TABLE …
/// ADD COLUMN accepts, unlike CURRENT_TIMESTAMP or an expression.
bool sqlite_literal_default(std::string_view value);

/// A SQLite CREATE TABLE statement for `table` (no trailing ";").
std::string sqlite_create_table(const Table& table);

}  // namespace migrate
