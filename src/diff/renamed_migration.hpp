#pragma once

#include "schema/schema_migration.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"
#include "schema/schema_renames.hpp"

namespace migrate {

/// The migration from `from` to `to` when TO's schema files say what was renamed: the renames
/// that still apply (FROM has the old name and not the new one) come first, made on a
/// development database built from FROM's dump, whose catalog then gives the schema the rest is
/// generated from; the down section undoes the rest, then the renames. Renames that no longer
/// apply (the migration that made them ran) are left out. Without any: diff_schemas.
class DevDatabases;

SchemaMigration migration_with_renames(DevDatabases& dev, const SchemaModel& from,
                                       const SchemaModel& to, const SchemaRenames& renames,
                                       const SchemaReadOptions& options);

}  // namespace migrate
