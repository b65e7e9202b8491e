#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lint/lint_settings.hpp"
#include "migration/migration_format.hpp"

namespace migrate {

class Environment;

/// What the command line says about configuration (the common flags).
struct ConfigOverrides {
  std::optional<std::string> database;     ///< --database URL
  std::optional<std::string> dir;          ///< --dir DIR
  std::optional<std::string> env;          ///< --env NAME
  std::optional<std::string> config_file;  ///< --config FILE
  std::optional<std::string> format;       ///< --format NAME (the migrations folder's)
  bool skip_go = false;                    ///< --skip-go (a goose folder's Go migrations)
};

/// The settings a tool runs with, after precedence (DESIGN.md, "Configuration"): --database >
/// the [env "X"] section of an explicit --env > MIGRATE_DATABASE_URL / DATABASE_URL > the
/// [env "X"] section of MIGRATE_ENV > [migrate] > built-in defaults.
struct Config {
  std::filesystem::path file;  ///< the migrate.conf used; empty when there is none
  /// migrate.conf's folder; without one, the nearest folder up to the repository's root that
  /// holds `migrations/`, else the repository's root, else the working directory.
  std::filesystem::path root;
  std::filesystem::path migrations_dir;  ///< absolute
  std::string database_url;              ///< with ${VARIABLES} expanded; may hold a password
  std::filesystem::path database_base;   ///< where relative sqlite: paths start
  std::string database_source;           ///< where the URL came from, for messages
  std::string table = "schema_migrations";
  std::vector<std::string> models;  ///< globs whose change needs a migration
  std::string upstream = "origin/main";
  bool id_seconds = false;  ///< id-format = second
  /// The migrations folder's format: --format, else `format =` in [migrate]; nullopt:
  /// detected from the folder's files (migration/migration_format's detect_format).
  std::optional<FormatChoice> format;
  /// --skip-go, or `skip-go = true` in [migrate]: a goose folder's Go migrations are skipped
  /// with a warning rather than refused.
  bool skip_go = false;
  /// `dump = FILE` in [migrate], absolute: the schema dump that upgrade, downgrade and redo
  /// rewrite after they change the database; empty when none is configured.
  std::filesystem::path dump_file;
  /// `dev-database = URL` in [migrate] (${VARIABLES} expanded; may hold a password): the
  /// server where development databases are created (migrate_dev_*), dropped after use.
  std::string dev_database_url;
  /// `schema = PATH` in [migrate], absolute: the declarative schema (a .sql file or a folder of
  /// them) that migrate-create generates migrations towards; empty when none is configured.
  std::filesystem::path schema_path;
  /// `schema-command = COMMAND` in [migrate]: the model from the application's own code (an
  /// ORM), run through /bin/sh in `root` with MIGRATE_DEV_DATABASE_URL naming an empty
  /// development database, which it fills or prints the SQL for; empty when none is configured.
  /// Never set together with `schema_path`.
  std::string schema_command;
  /// `schema-command-timeout = SECONDS` in [migrate]: how long schema-command may run before
  /// it is stopped, with what it started.
  std::chrono::seconds schema_command_timeout{120};
  /// `lint-small-table = ROWS` in [migrate]: with a database, migrate-lint lowers to a note a
  /// rewrite or scan of a table estimated under this many rows.
  long lint_small_table = 10'000;
  /// `[placeholders]`: the values of a Flyway folder's `${name}`s, by name in lower case.
  std::map<std::string, std::string> placeholders;
  /// `[lint] disable` and `[lint "severity"] RULE = …`: which rules are not reported, and
  /// which are at another severity than their own (migrate-lint and the gate).
  LintSettings lint;
  std::string env_name;  ///< the [env] section in use, if any
  /// What the tool should tell the user about these choices, once, on stderr (an environment
  /// variable overriding migrate.conf's database, a project found above the working directory).
  std::vector<std::string> notes;
};

/// Finds migrate.conf (walking up from `cwd`, unless --config names one), reads it and applies
/// precedence. Throws ConfigError for a bad file, an unknown --env, an unset ${VARIABLE}, a
/// format that is none or that migrate does not read yet, a lint setting naming no rule or
/// no severity.
Config load_config(const ConfigOverrides& overrides, const Environment& environment,
                   const std::filesystem::path& cwd);

/// Replaces each ${NAME} in `value` by the variable's value; `where` names the setting in the
/// message when a variable is unset.
std::string expand_variables(const std::string& value, const Environment& environment,
                             const std::string& where);

}  // namespace migrate
