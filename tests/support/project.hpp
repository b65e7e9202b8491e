#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace migrate::test {

/// A throwaway project for end-to-end tests: a folder with migrations/ and (once a tool
/// creates it) migrate.db, in which the built tools run as a user would run them.
class Project {
 public:
  Project();

  const std::filesystem::path& root() const { return m_dir.path(); }
  std::filesystem::path migrations() const { return root() / "migrations"; }
  std::filesystem::path db() const { return root() / "migrate.db"; }

  /// Writes migrations/<file_name>.
  void add(std::string_view file_name, std::string_view content) const;
  /// Copies the repository's own example migrations/ in.
  void add_example_migrations() const;

  /// Runs a tool with the project as working directory.
  ProcessResult run(std::string_view tool, const std::vector<std::string>& args = {},
                    RunOptions options = {}) const;
  RunningProcess start(std::string_view tool, const std::vector<std::string>& args = {},
                       RunOptions options = {}) const;

 private:
  TempDir m_dir;
};

/// The text of a migration file: optional header lines, then the sections.
/// `down` nullopt writes no down marker at all.
std::string migration_text(std::string_view up, std::optional<std::string_view> down = "",
                           std::string_view header = "");

}  // namespace migrate::test
