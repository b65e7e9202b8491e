#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace migrate {

class Environment;
struct Config;

/// One database the history page shows a column for, before it is opened.
struct EnvironmentTarget {
  std::string name;            ///< the [env "X"] name, or "default"
  std::string url;             ///< as configured (may hold a password: never shown)
  std::filesystem::path base;  ///< where a relative sqlite: path starts
  std::string table;           ///< its state table
  std::string problem;         ///< why it cannot be read (e.g. an unset ${VARIABLE})
};

/// The databases of every configured environment, read afresh from migrate.conf: the one the
/// tool runs with (named after its environment, or "default") first, then every other
/// `[env "X"]` section, each resolved by load_config's own precedence, except that
/// MIGRATE_DATABASE_URL and DATABASE_URL (which would override every section alike) apply to
/// the first only. An environment whose settings cannot be resolved carries its `problem`.
std::vector<EnvironmentTarget> environment_targets(const Config& config,
                                                   const Environment& environment);

}  // namespace migrate
