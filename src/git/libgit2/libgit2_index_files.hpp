#pragma once

#include <git2.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// Calls `each` for every entry `index` stages at `prefix` (GitRepo::write_index_files' rule:
/// the file, or everything under the folder; empty: every entry), in index order, conflicted
/// paths left out.
void for_each_staged(git_index* index, std::string_view prefix,
                     const std::function<void(const git_index_entry&)>& each);

/// Writes what `index` stages at `prefix` into `folder` (GitRepo::write_index_files).
std::vector<std::string> write_index_files(git_repository* repo, git_index* index,
                                           std::string_view prefix,
                                           const std::filesystem::path& folder);

}  // namespace migrate
