#pragma once

#include <git2.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// Writes what `index` stages at `prefix` into `folder` (GitRepo::write_index_files).
std::vector<std::string> write_index_files(git_repository* repo, git_index* index,
                                           std::string_view prefix,
                                           const std::filesystem::path& folder);

}  // namespace migrate
