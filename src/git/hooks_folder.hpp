#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace migrate {

/// Where git runs a repository's hooks from, and why there (GitRepo::hooks_folder).
struct HooksFolder {
  std::filesystem::path path;             ///< absolute
  std::optional<std::string> hooks_path;  ///< core.hooksPath as written in the config, when set
};

}  // namespace migrate
