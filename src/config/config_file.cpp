#include "config/config_file.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/config_cache.hpp"
#include "git/git_backend.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

constexpr const char* kMigrateKeys[] = {"dir",
                                        "database",
                                        "table",
                                        "models",
                                        "upstream",
                                        "id-format",
                                        "format",
                                        "skip-go",
                                        "dump",
                                        "dev-database",
                                        "schema",
                                        "schema-command",
                                        "schema-command-timeout",
                                        "lint-small-table"};
constexpr const char* kEnvKeys[] = {"database", "table"};

template <std::size_t N>
bool known(const char* const (&keys)[N], const std::string& key) {
  return std::find_if(std::begin(keys), std::end(keys), [&](const char* k) { return key == k; }) !=
         std::end(keys);
}

/// "a, b and c": the keys for a message, from the list they are checked against.
template <std::size_t N>
std::string readable_list(const char* const (&keys)[N]) {
  std::vector<std::string_view> first(std::begin(keys), std::end(keys) - 1);
  return fmt::format("{} and {}", fmt::join(first, ", "), keys[N - 1]);
}

/// Throws for keys migrate does not know, naming the ones it does.
void check_key(const std::filesystem::path& path, const std::string& name) {
  std::size_t first = name.find('.');
  std::size_t last = name.rfind('.');
  std::string section = name.substr(0, first);
  std::string key = name.substr(last + 1);
  if (section == "migrate" && first == last && known(kMigrateKeys, key)) {
    return;
  }
  if (section == "env" && first != last && known(kEnvKeys, key)) {
    return;
  }
  if (section == "placeholders" && first == last) {  // any name: Flyway's ${name} values
    return;
  }
  // [lint] disable, [lint "severity"] RULE: the rules' names are checked with the settings.
  if (section == "lint" &&
      (first == last ? key == "disable" || key == "upgrade-sets"
                     : name.substr(first + 1, last - first - 1) == "severity")) {
    return;
  }
  std::string hint = section == "migrate" ? "the [migrate] keys are " + readable_list(kMigrateKeys)
                     : section == "env"   ? "an [env \"NAME\"] section takes database and table"
                     : section == "lint"
                         ? "[lint] takes disable = RULE… and upgrade-sets = lock_timeout "
                           "statement_timeout, and [lint \"severity\"] RULE = error, warning "
                           "or note"
                         : "the sections are [migrate], [env \"NAME\"], [placeholders], [lint] "
                           "and [lint \"severity\"]";
  throw ConfigError(fmt::format("{}: unknown setting '{}': {}", path.string(), name, hint));
}

}  // namespace

ConfigFile ConfigFile::read(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw ConfigError(fmt::format("the config file {} does not exist", path.string()));
  }
  // git's own parser (migrate.conf is git-config), unless it read this very file before.
  ConfigCache cache(path);
  std::optional<std::vector<GitConfigEntry>> entries = cache.find();
  if (!entries) {
    try {
      entries = load_git_backend().read_config(path);
    } catch (const GitConfigError& e) {
      throw ConfigError(
          e.syntax() ? fmt::format("{} is not valid git-config syntax: {}", path.string(), e.what())
                     : fmt::format("cannot read {}: {}", path.string(), e.what()));
    }
    cache.store(*entries);
  }
  ConfigFile file;
  file.m_path = path;
  for (GitConfigEntry& entry : *entries) {
    check_key(path, entry.name);
    file.m_values[entry.name].push_back(std::move(entry.value));
  }
  return file;
}

std::optional<std::string> ConfigFile::get(const std::string& key) const {
  auto found = m_values.find(key);
  if (found == m_values.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second.back();
}

std::vector<std::string> ConfigFile::get_all(const std::string& key) const {
  auto found = m_values.find(key);
  return found == m_values.end() ? std::vector<std::string>{} : found->second;
}

std::map<std::string, std::string> ConfigFile::section(const std::string& name) const {
  std::map<std::string, std::string> keys;
  std::string prefix = name + ".";
  for (const auto& [key, values] : m_values) {
    if (key.starts_with(prefix) && key.find('.', prefix.size()) == std::string::npos &&
        !values.empty()) {
      keys[key.substr(prefix.size())] = values.back();
    }
  }
  return keys;
}

std::vector<std::string> ConfigFile::environments() const {
  std::set<std::string> names;
  for (const auto& [key, values] : m_values) {
    if (key.starts_with("env.")) {
      names.insert(key.substr(4, key.rfind('.') - 4));
    }
  }
  return {names.begin(), names.end()};
}

std::optional<std::filesystem::path> find_config_file(const std::filesystem::path& start) {
  std::filesystem::path folder = start;
  for (;;) {
    std::filesystem::path candidate = folder / kConfigFileName;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) {
      return candidate;
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) {
      return std::nullopt;
    }
    folder = folder.parent_path();
  }
}

}  // namespace migrate
