#include "web/environment_targets.hpp"

#include <algorithm>

#include "config/config.hpp"
#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// The process's variables minus the two that name one database for every environment.
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

EnvironmentTarget from_config(std::string name, const Config& config) {
  return {std::move(name), config.database_url, config.database_base, config.table, {}};
}

EnvironmentTarget section_target(const std::string& name, const Config& config,
                                 const Environment& environment) {
  ConfigOverrides overrides;
  overrides.config_file = config.file.string();
  overrides.env = name;
  try {
    return from_config(name, load_config(overrides, SectionEnvironment(environment), config.root));
  } catch (const Error& e) {
    return {name, {}, {}, {}, e.what()};
  }
}

}  // namespace

std::vector<EnvironmentTarget> environment_targets(const Config& config,
                                                   const Environment& environment) {
  std::vector<EnvironmentTarget> targets;
  targets.push_back(from_config(config.env_name.empty() ? "default" : config.env_name, config));
  if (config.file.empty()) {
    return targets;
  }
  std::vector<std::string> names;
  try {
    names = ConfigFile::read(config.file).environments();
  } catch (const Error& e) {
    targets.front().problem = e.what();  // edited into a broken file since the start
    return targets;
  }
  for (const std::string& name : names) {
    if (name != config.env_name) {
      targets.push_back(section_target(name, config, environment));
    }
  }
  return targets;
}

}  // namespace migrate
