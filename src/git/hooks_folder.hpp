#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace migrate {

class GitRepo;

/// Where git runs a repository's hooks from, and why there.
struct HooksFolder {
  std::filesystem::path path;             ///< absolute
  std::optional<std::string> hooks_path;  ///< core.hooksPath as written in the config, when set
};

/// The hooks folder git uses for `repository`: core.hooksPath when it is set (a relative value
/// starts at the work tree's root, or at the git folder of a bare repository, as git has it;
/// `~/` is the home folder), else `hooks` in the common git folder, which every worktree of
/// the repository shares. Throws GitError when the configuration cannot be read.
HooksFolder find_hooks_folder(const GitRepo& repository);

}  // namespace migrate
