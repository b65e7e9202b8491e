#pragma once

#include "schema/schema_migration.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

/// The migration that takes a SQLite schema `from` to `to`, and back: new tables created,
/// dropped ones dropped, columns added with ADD COLUMN and dropped with DROP COLUMN where SQLite
/// allows them, every other table change made by SQLite's rebuild (sqlite.org's procedure: a
/// new table, the rows copied, the old one dropped, the new one renamed, AUTOINCREMENT counters
/// kept, its indexes and triggers made again) in a `foreign_keys:off` section; views and
/// triggers dropped before and made after whatever they may depend on; indexes, views and
/// triggers that changed dropped and made again. Every statement that loses data or rewrites a
/// table says so in a `-- hazard:` comment. Pure: nothing is run here.
SchemaMigration sqlite_schema_migration(const SchemaModel& from, const SchemaModel& to);

}  // namespace migrate
