#pragma once

#include <string>

#include "diff/generate_migration.hpp"
#include "diff/schema_source.hpp"
#include "graph/revision_graph.hpp"
#include "schema/schema_model.hpp"

namespace migrate {

class DevDatabases;
struct Config;

/// What the model `model` describes beyond what `migrations` build: the migration
/// migrate-create would generate (renames as the model's files say), its text the file it would
/// write under `title` (depending on every head), with its notes. Not tried and not refused: a
/// change that deletes data is in it (it needs --allow-destructive in migrate-create). Its
/// migration is empty when they agree. Throws ParseError at the line of a schema file whose SQL
/// fails (exit 2), and what replaying the migrations throws (diff/replay).
GeneratedMigration model_drift(DevDatabases& dev, const Config& config,
                               const RevisionGraph& migrations, const SchemaSource& model,
                               const std::string& title);

}  // namespace migrate
