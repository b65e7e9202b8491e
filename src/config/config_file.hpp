#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

/// The file name every tool looks for, walking up from the working directory.
inline constexpr const char* kConfigFileName = "migrate.conf";

/// migrate.conf, in git-config syntax, read with libgit2's config parser (the same format as
/// .gitmodules). Keys are "section.key" or "section.subsection.key", as git names them
/// (`[env "production"] database = …` is "env.production.database").
class ConfigFile {
 public:
  /// Reads and checks the file: syntax errors and unknown sections or keys are ConfigErrors
  /// naming the file (a typo must not silently fall back to a default).
  static ConfigFile read(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return m_path; }
  /// The last value of a key, as git does.
  std::optional<std::string> get(const std::string& key) const;
  /// Every value of a multi-valued key, in file order.
  std::vector<std::string> get_all(const std::string& key) const;
  /// The keys of a `[name]` section (no subsection) and their last values: git reads key names
  /// in lower case, so `[placeholders] tableName` is "tablename".
  std::map<std::string, std::string> section(const std::string& name) const;
  /// The names of the `[env "X"]` sections.
  std::vector<std::string> environments() const;

 private:
  std::filesystem::path m_path;
  std::map<std::string, std::vector<std::string>> m_values;
};

/// The nearest migrate.conf in `start` or a folder above it.
std::optional<std::filesystem::path> find_config_file(const std::filesystem::path& start);

}  // namespace migrate
