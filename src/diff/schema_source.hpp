#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "schema/schema_model.hpp"
#include "schema/schema_renames.hpp"

namespace migrate {

struct Config;
class DevDatabases;

/// What migrate-diff compares (its FROM and its TO).
struct SchemaSource {
  enum class Kind {
    database,    ///< a database URL: its schema as it is
    migrations,  ///< `DIR@REVISION`: the schema the migrations build up to the revision
    files,       ///< a .sql file, or a folder of them: the schema they create
    command,     ///< schema-command: what it makes in (or prints for) an empty database
  };
  Kind kind = Kind::files;
  std::string text;                ///< as given, for messages
  std::filesystem::path path;      ///< the migrations folder, the schema file or folder, or the
                                   ///< folder a command runs in
  std::string revision;            ///< `head`, an id or a stem
  std::string command;             ///< schema-command's text, for /bin/sh -c
  std::chrono::seconds timeout{};  ///< how long the command may run
};

/// The word that names the configured schema-command as a FROM or TO of migrate-diff.
inline constexpr std::string_view kSchemaCommandSource = "schema-command";

/// The model of migrate.conf's `schema-command`, run in `root` (the project's root, or a
/// checkout of the staged tree), with its timeout. Throws ConfigError when none is configured.
SchemaSource command_source(const Config& config, const std::filesystem::path& root);

/// Reads a FROM or TO argument: a URL of an engine migrate has (`sqlite:…`, `postgres://…`),
/// `DIR@REVISION` where DIR is a folder, else the path of a schema file or folder. Relative
/// paths start at `cwd`. Throws UsageError for a path that is not there. (`schema-command` is
/// the caller's to look for first: it needs the configuration.)
SchemaSource parse_schema_source(std::string_view text, const std::filesystem::path& cwd);

/// The engine a source's schema is read with: a URL's own; the configured database's for the
/// others, which are loaded into a development database of that engine.
std::string source_engine(const SchemaSource& source, const Config& config);

/// The schema of `source`, read from the catalog of the database it is (read-only) or of a
/// development database from `dev` it is loaded into (a command's: one it can open too, given
/// to it in MIGRATE_DEV_DATABASE_URL, then loaded with the SQL it printed). migrate's state
/// table (as configured) and other tools' are left out. Throws ParseError naming the file and
/// line of a schema file whose SQL fails (exit 2), SchemaCommandOutputError for the output of a
/// command (exit 2), SchemaCommandFailed for a command that fails or runs too long (exit 1),
/// what an upgrade throws for migrations that fail, DbError for a database that cannot be read.
/// `renames`, when given, gets what schema files say was renamed (`-- @renamed from=OLD` on the
/// line before a CREATE TABLE, or on a column's line); a malformed annotation, or one on
/// something else, is a ParseError at its line.
SchemaModel load_schema_source(const SchemaSource& source, DevDatabases& dev, const Config& config,
                               SchemaRenames* renames = nullptr);

}  // namespace migrate
