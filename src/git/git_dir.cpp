#include "git/git_dir.hpp"

#include <string>
#include <system_error>

#include "util/cache_home.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// What a `.git` file points at: "gitdir: <path>", relative to the file's folder.
std::optional<std::filesystem::path> linked_git_dir(const std::filesystem::path& dot_git) {
  std::string text;
  try {
    text = read_file(dot_git);
  } catch (const Error&) {
    return std::nullopt;  // unreadable: no cache, which costs only time
  }
  constexpr std::string_view kPrefix = "gitdir:";
  if (!text.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::filesystem::path target(std::string(trim(std::string_view(text).substr(kPrefix.size()))));
  return target.is_absolute() ? target : dot_git.parent_path() / target;
}

std::optional<std::filesystem::path> canonical_path(const std::filesystem::path& subject) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(subject, error);
  if (error) {
    return std::nullopt;
  }
  return canonical;
}

/// A cache's file name for a canonical path: its own, whatever the way there.
std::string cache_file_name(const std::filesystem::path& canonical) {
  return sha256_hex(canonical.native()).substr(0, 16);
}

/// maybe_in_repository's walk up from one absolute folder.
bool repository_above(std::filesystem::path folder) {
  // Not "not found" is there, or a folder this cannot look into: git decides.
  auto present = [&folder](const char* name) {
    std::error_code ignored;
    return std::filesystem::symlink_status(folder / name, ignored).type() !=
           std::filesystem::file_type::not_found;
  };
  for (;;) {
    if (present(".git") || (present("HEAD") && present("objects") && present("refs"))) {
      return true;
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) {
      return false;
    }
    folder = folder.parent_path();
  }
}

}  // namespace

std::optional<std::filesystem::path> find_git_dir(const std::filesystem::path& start) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::absolute(start, error);
  if (error) {
    return std::nullopt;
  }
  for (;;) {
    std::filesystem::path dot_git = folder / ".git";
    std::filesystem::file_status status = std::filesystem::status(dot_git, error);
    if (std::filesystem::is_directory(status)) {
      return dot_git;
    }
    if (std::filesystem::is_regular_file(status)) {
      return linked_git_dir(dot_git);
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) {
      return std::nullopt;
    }
    folder = folder.parent_path();
  }
}

bool maybe_in_repository(const std::filesystem::path& start) {
  std::error_code error;
  std::filesystem::path real = std::filesystem::weakly_canonical(start, error);
  if (error) {
    return true;
  }
  std::filesystem::path lexical = std::filesystem::absolute(start, error);
  if (error) {
    return true;
  }
  // git resolves links first (a migrations folder linked into a checkout is in it); the
  // folders above as written are looked at too.
  return repository_above(real) || (lexical != real && repository_above(lexical));
}

std::optional<std::filesystem::path> repository_cache_file(const std::filesystem::path& subject,
                                                           std::string_view kind) {
  std::optional<std::filesystem::path> canonical = canonical_path(subject);
  if (!canonical) {
    return std::nullopt;
  }
  std::optional<std::filesystem::path> git_dir = find_git_dir(*canonical);
  if (!git_dir) {
    return std::nullopt;
  }
  return *git_dir / "migrate" / kind / cache_file_name(*canonical);
}

std::optional<std::filesystem::path> user_cache_file(const std::filesystem::path& subject,
                                                     std::string_view kind) {
  std::optional<std::filesystem::path> canonical = canonical_path(subject);
  std::optional<std::filesystem::path> home = cache_home();
  if (!canonical || !home) {
    return std::nullopt;
  }
  return *home / kind / cache_file_name(*canonical);
}

std::optional<std::filesystem::path> cache_file(const std::filesystem::path& subject,
                                                std::string_view kind) {
  if (std::optional<std::filesystem::path> file = repository_cache_file(subject, kind)) {
    return file;
  }
  return user_cache_file(subject, kind);
}

}  // namespace migrate
