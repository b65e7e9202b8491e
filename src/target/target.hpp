#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace migrate {

class Environment;
struct Config;

/// One database a configuration names, with the state table migrate keeps there: what every
/// command that looks at "the databases" (migrate-current, migrate-history, migrate-squash
/// --prune, migrate-web) reads, before it is opened.
struct Target {
  std::string name;            ///< the [env "X"] name, or "default"
  std::string url;             ///< as configured (may hold a password: never shown)
  std::filesystem::path base;  ///< where a relative sqlite: path starts
  /// The state table's schema when the configuration names one (`table = schema.table`,
  /// PostgreSQL); empty: the database's default (the connection resolves it).
  std::string schema;
  std::string table;    ///< the state table's own name, without its schema
  std::string problem;  ///< why it cannot be read (e.g. an unset ${VARIABLE}); empty when fine
  std::string source;  ///< where the URL came from ("--database", "[migrate] in …"), for messages
  /// `[placeholders]`: what a Flyway folder's `${name}`s stand for (by name in lower case).
  std::map<std::string, std::string> placeholders = {};

  /// "schema.table", or "table" without a schema: the name StateTable takes.
  std::string state_table() const;
  /// "prod (postgres://app:***@db/app, table prod_migrations)": for messages; redacted.
  std::string description() const;
};

/// The database the tool runs with: the one `config` chose (flag, variable, [env], [migrate]),
/// named after its environment, or "default".
Target tool_target(const Config& config);

/// Every database `config`'s migrate.conf names, read afresh from the file: the tool's own
/// first (tool_target), then [migrate]'s when the file sets one that no environment shares, then
/// every other `[env "X"]` section, each resolved by load_config's own precedence, except that
/// MIGRATE_DATABASE_URL and DATABASE_URL (which would override every section alike) apply to
/// the first only. An environment whose settings cannot be resolved carries its `problem`.
std::vector<Target> configured_targets(const Config& config, const Environment& environment);

}  // namespace migrate
