#pragma once

#include <string>

#include "diff/generate_migration.hpp"
#include "diff/schema_source.hpp"
#include "graph/revision_graph.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

class DevDatabases;
struct Config;

/// The schema the migrations of `graph` build: all of them (every head) applied in order on a
/// development database from `dev`, as migrate-upgrade would, then read as load_schema_source
/// reads one (migrate's state table and other tools' left out). No migration: the empty
/// schema. Throws what an upgrade throws for a migration that fails (MigrationFailed naming its
/// file and line).
SchemaModel replayed_schema(DevDatabases& dev, const Config& config, const RevisionGraph& graph);

/// What the model `model` describes beyond what `migrations` build: the migration
/// migrate-create would generate (renames as the model's files say), its text the file it would
/// write under `title` (depending on every head), with its notes. Not tried and not refused: a
/// change that deletes data is in it (it needs --allow-destructive in migrate-create). Its
/// migration is empty when they agree. Throws ParseError at the line of a schema file whose SQL
/// fails (exit 2), and what replayed_schema throws.
GeneratedMigration model_drift(DevDatabases& dev, const Config& config,
                               const RevisionGraph& migrations, const SchemaSource& model,
                               const std::string& title);

}  // namespace migrate
