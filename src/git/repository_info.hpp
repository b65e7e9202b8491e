#pragma once

#include <filesystem>
#include <string>

namespace migrate {

/// The commit id of HEAD in the git repository that contains `path`; empty outside a repository
/// or before its first commit. Recorded as `git_commit` when a migration is applied. Read by git
/// once, then from .git/migrate/head-commit while the files it was read from stay
/// (head_commit_cache).
std::string head_commit_id(const std::filesystem::path& path);

}  // namespace migrate
