#pragma once

#include <filesystem>
#include <optional>

namespace migrate {

/// The git directory of the repository whose work tree holds `start` (a folder), found by
/// looking, without loading git: `.git` in `start` or a folder above it, either a folder or a
/// file saying `gitdir: <path>` (a worktree's, a submodule's). nullopt outside a repository.
///
/// For caches that speed commands up and are never trusted (.git/migrate/): a repository this
/// misses (GIT_DIR set elsewhere) only costs the cache. Whatever reads the repository itself
/// goes through GitBackend::discover.
std::optional<std::filesystem::path> find_git_dir(const std::filesystem::path& start);

}  // namespace migrate
