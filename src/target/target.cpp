#include "target/target.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/config.hpp"
#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "db/database_url.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// The process's variables minus the ones that choose one database for every section alike.
class SectionEnvironment final : public Environment {
 public:
  explicit SectionEnvironment(const Environment& inner) : m_inner(inner) {}
  std::optional<std::string> get(std::string_view name) const override {
    if (name == "MIGRATE_DATABASE_URL" || name == "DATABASE_URL" || name == "MIGRATE_ENV") {
      return std::nullopt;
    }
    return m_inner.get(name);
  }

 private:
  const Environment& m_inner;
};

Target from_config(std::string name, const Config& config) {
  Target target{
      std::move(name),        config.database_url, config.database_base, {}, config.table, {},
      config.database_source, config.placeholders};
  std::size_t dot = target.table.find('.');
  if (dot != std::string::npos) {
    target.schema = target.table.substr(0, dot);
    target.table.erase(0, dot + 1);
  }
  return target;
}

/// The section `env` of the file (empty: [migrate] alone), resolved as a tool run with
/// `--env env` would resolve it, but without the variables that override every section.
Target section_target(const std::string& name, const std::string& env, const Config& config,
                      const Environment& environment) {
  ConfigOverrides overrides;
  overrides.config_file = config.file.string();
  if (!env.empty()) {
    overrides.env = env;
  }
  try {
    return from_config(name, load_config(overrides, SectionEnvironment(environment), config.root));
  } catch (const Error& e) {
    return {name, {}, {}, {}, {}, e.what()};
  }
}

bool same_database(const Target& a, const Target& b) {
  return a.problem.empty() && b.problem.empty() && a.url == b.url && a.base == b.base &&
         a.state_table() == b.state_table();
}

}  // namespace

std::string Target::state_table() const {
  return schema.empty() ? table : schema + "." + table;
}

std::string Target::description() const {
  if (!problem.empty()) {
    return name;
  }
  return fmt::format("{} ({}, table {})", name, redact_url(url), state_table());
}

Target tool_target(const Config& config) {
  return from_config(config.env_name.empty() ? "default" : config.env_name, config);
}

std::vector<Target> configured_targets(const Config& config, const Environment& environment) {
  std::vector<Target> targets{tool_target(config)};
  if (config.file.empty()) {
    return targets;
  }
  std::optional<ConfigFile> file;
  try {
    file = ConfigFile::read(config.file);
  } catch (const Error& e) {
    targets.front().problem = e.what();  // edited into a broken file since the start
    return targets;
  }
  for (const std::string& name : file->environments()) {
    if (name != config.env_name) {
      targets.push_back(section_target(name, name, config, environment));
    }
  }
  // [migrate]'s own database is one more when no environment (nor the tool) uses it.
  if (file->get("migrate.database")) {
    std::string name = targets.front().name == "default" ? "[migrate]" : "default";
    Target own = section_target(name, "", config, environment);
    if (std::none_of(targets.begin(), targets.end(),
                     [&](const Target& known) { return same_database(known, own); })) {
      targets.insert(targets.begin() + 1, std::move(own));
    }
  }
  return targets;
}

}  // namespace migrate
