#include "config/config.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "db/database_url.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr const char* kDefaultDatabase = "sqlite:migrate.db";
constexpr const char* kDefaultDir = "migrations";

std::filesystem::path absolute_from(const std::filesystem::path& base, const std::string& path) {
  std::filesystem::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal();
}

/// The [env "X"] section chosen by --env or MIGRATE_ENV, checked to exist.
std::string chosen_environment(const ConfigOverrides& overrides, const Environment& environment,
                               const std::optional<ConfigFile>& file) {
  std::string name = overrides.env.value_or(environment.get("MIGRATE_ENV").value_or(""));
  if (name.empty()) {
    return name;
  }
  std::vector<std::string> known = file ? file->environments() : std::vector<std::string>{};
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    std::string where = overrides.env ? "--env" : "MIGRATE_ENV";
    if (!file) {
      throw ConfigError(
          fmt::format("{} {}: there is no migrate.conf to define it in (add "
                      "[env \"{}\"] with a database = line)",
                      where, name, name));
    }
    throw ConfigError(fmt::format(
        "{} {}: {} has no [env \"{}\"] section (it has: {})", where, name, file->path().string(),
        name, known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "))));
  }
  return name;
}

void choose_database(const ConfigOverrides& overrides, const Environment& environment,
                     const std::optional<ConfigFile>& file, const std::filesystem::path& cwd,
                     Config& config) {
  auto from_file = [&](const std::string& key) -> std::optional<std::string> {
    return file ? file->get(key) : std::nullopt;
  };
  config.database_base = cwd;
  if (overrides.database) {
    config.database_url = *overrides.database;
    config.database_source = "--database";
  } else if (auto url = environment.get("MIGRATE_DATABASE_URL")) {
    config.database_url = *url;
    config.database_source = "MIGRATE_DATABASE_URL";
  } else if (auto url = environment.get("DATABASE_URL")) {
    config.database_url = *url;
    config.database_source = "DATABASE_URL";
  } else {
    config.database_base = config.root;
    std::string env_key = fmt::format("env.{}.database", config.env_name);
    if (auto url = config.env_name.empty() ? std::nullopt : from_file(env_key)) {
      config.database_source =
          fmt::format("[env \"{}\"] in {}", config.env_name, file->path().string());
      config.database_url = expand_variables(*url, environment, config.database_source);
    } else if (auto url = from_file("migrate.database")) {
      config.database_source = fmt::format("[migrate] in {}", file->path().string());
      config.database_url = expand_variables(*url, environment, config.database_source);
    } else {
      config.database_url = kDefaultDatabase;
      config.database_source = "the built-in default";
    }
  }
}

}  // namespace

std::string expand_variables(const std::string& value, const Environment& environment,
                             const std::string& where) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t start = value.find("${", i);
    if (start == std::string::npos) {
      out += value.substr(i);
      break;
    }
    std::size_t end = value.find('}', start + 2);
    if (end == std::string::npos) {
      throw ConfigError(
          fmt::format("{}: '${{' without a closing '}}' in '{}'", where, redact_url(value)));
    }
    std::string name = value.substr(start + 2, end - start - 2);
    std::optional<std::string> variable = environment.get(name);
    if (!variable) {
      throw ConfigError(
          fmt::format("{} uses ${{{}}}, which is not set in the environment", where, name));
    }
    out += value.substr(i, start - i);
    out += *variable;
    i = end + 1;
  }
  return out;
}

Config load_config(const ConfigOverrides& overrides, const Environment& environment,
                   const std::filesystem::path& cwd) {
  Config config;
  std::optional<std::filesystem::path> path =
      overrides.config_file ? std::optional(absolute_from(cwd, *overrides.config_file))
                            : find_config_file(cwd);
  std::optional<ConfigFile> file;
  if (path) {
    file = ConfigFile::read(*path);
    config.file = *path;
    config.root = path->parent_path();
  } else {
    config.root = cwd;
  }
  auto get = [&](const std::string& key) { return file ? file->get(key) : std::nullopt; };

  config.env_name = chosen_environment(overrides, environment, file);
  choose_database(overrides, environment, file, cwd, config);

  config.migrations_dir =
      overrides.dir ? absolute_from(cwd, *overrides.dir)
                    : absolute_from(config.root, get("migrate.dir").value_or(kDefaultDir));
  std::optional<std::string> table =
      config.env_name.empty() ? std::nullopt : get(fmt::format("env.{}.table", config.env_name));
  config.table = table.value_or(get("migrate.table").value_or(config.table));
  config.upstream = get("migrate.upstream").value_or(config.upstream);
  if (file) {
    for (const std::string& value : file->get_all("migrate.models")) {
      for (std::string_view glob : split_words(value)) {
        config.models.emplace_back(glob);
      }
    }
  }
  std::string id_format = get("migrate.id-format").value_or("minute");
  if (id_format != "minute" && id_format != "second") {
    throw ConfigError(
        fmt::format("{}: id-format = {}: use minute (YYYYMMDDHHMM) or second "
                    "(YYYYMMDDHHMMSS)",
                    config.file.string(), id_format));
  }
  config.id_seconds = id_format == "second";
  return config;
}

}  // namespace migrate
