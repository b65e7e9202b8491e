#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace migrate {

/// The git directory of the repository whose work tree holds `start` (a folder), found by
/// looking, without loading git: `.git` in `start` or a folder above it, either a folder or a
/// file saying `gitdir: <path>` (a worktree's, a submodule's). nullopt outside a repository.
///
/// For caches that speed commands up and are never trusted (.git/migrate/): a repository this
/// misses (GIT_DIR set elsewhere) only costs the cache. And to not load git at all where there
/// is no repository (an upgrade's HEAD commit: a bare repository's folder, which this misses,
/// has no work tree to upgrade from). Whatever reads the repository itself goes through
/// GitBackend::discover.
std::optional<std::filesystem::path> find_git_dir(const std::filesystem::path& start);

/// Whether git could find a repository around `start` (a folder): false only when no folder from
/// it up, through links resolved or as written, has a `.git` (of any kind) or is a bare
/// repository's (`HEAD`, `objects` and `refs`, which git looks for; migrations/HEAD alone is
/// migrate's). Outside one, that says so without
/// loading git, whose start and libraries were most of a lint's or a check's run there; where
/// this says maybe, git itself decides.
bool maybe_in_repository(const std::filesystem::path& start);

/// Where migrate remembers something of `kind` about `subject` (a file or folder of a work
/// tree): <git dir>/migrate/<kind>/<16 hex digits of the SHA-256 of its canonical path>, so
/// each folder or file has its own, whatever the working directory. nullopt outside a
/// repository.
std::optional<std::filesystem::path> repository_cache_file(const std::filesystem::path& subject,
                                                           std::string_view kind);

/// The same name in the user's cache folder (util/cache_home): <cache home>/<kind>/<16 hex
/// digits>, wherever `subject` is. nullopt when there is no cache folder (no HOME).
std::optional<std::filesystem::path> user_cache_file(const std::filesystem::path& subject,
                                                     std::string_view kind);

/// repository_cache_file inside a repository; outside one, user_cache_file. For what a run
/// outside any repository pays for too, as a deploy from a copy without .git does (migrate.conf
/// read by libgit2). nullopt when there is neither.
std::optional<std::filesystem::path> cache_file(const std::filesystem::path& subject,
                                                std::string_view kind);

}  // namespace migrate
