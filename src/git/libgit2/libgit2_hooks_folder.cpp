#include "git/libgit2/libgit2_hooks_folder.hpp"

#include <fmt/format.h>

#include "git/libgit2/git_handle.hpp"
#include "git/libgit2/libgit2_error.hpp"

namespace migrate {

namespace {

/// core.hooksPath as written, and expanded the way git expands paths (`~/`); nullopt when unset
/// or empty.
std::optional<std::pair<std::string, std::filesystem::path>> configured_hooks_path(
    git_config* config) {
  const char* written = nullptr;
  int status = git_config_get_string(&written, config, "core.hooksPath");
  if (status == GIT_ENOTFOUND || (status == 0 && *written == '\0')) {
    return std::nullopt;
  }
  check_git(status, "reading core.hooksPath");
  GitBuf expanded;
  check_git(git_config_get_path(&expanded.buf, config, "core.hooksPath"),
            fmt::format("expanding core.hooksPath = {}", written));
  return std::pair{std::string(written), std::filesystem::path(expanded.buf.ptr)};
}

/// `path` without "." and ".." parts and without a trailing '/', for messages and comparisons.
std::filesystem::path normalized(const std::filesystem::path& path) {
  std::filesystem::path normal = path.lexically_normal();
  return normal.has_filename() ? normal : normal.parent_path();
}

}  // namespace

HooksFolder find_hooks_folder(const Libgit2Repo& repository) {
  git_config* raw = nullptr;
  // A snapshot: the only handle from which libgit2 lends out a string value.
  check_git(git_repository_config_snapshot(&raw, repository.get()),
            "reading the repository's configuration");
  GitConfig config(raw);
  std::optional<std::pair<std::string, std::filesystem::path>> configured =
      configured_hooks_path(config.get());
  if (!configured) {
    std::filesystem::path common = git_repository_commondir(repository.get());
    return {normalized(common / "hooks"), std::nullopt};
  }
  // git runs hooks from the work tree's root (the git folder when bare), so a relative
  // core.hooksPath starts there.
  std::filesystem::path base = repository.workdir();
  if (base.empty()) {
    base = git_repository_path(repository.get());
  }
  std::filesystem::path path = base / configured->second;  // an absolute value replaces base
  return {normalized(path), configured->first};
}

}  // namespace migrate
