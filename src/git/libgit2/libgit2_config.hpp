#pragma once

#include <filesystem>
#include <vector>

#include "git/git_backend.hpp"

namespace migrate {

/// The entries of a git-config file, in file order, read by libgit2's config parser
/// (GitBackend::read_config). Throws GitConfigError with libgit2's message.
std::vector<GitConfigEntry> read_config_file(const std::filesystem::path& path);

}  // namespace migrate
