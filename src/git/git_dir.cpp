#include "git/git_dir.hpp"

#include <string>
#include <system_error>

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

std::optional<std::filesystem::path> repository_cache_file(const std::filesystem::path& subject,
                                                           std::string_view kind) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(subject, error);
  if (error) {
    return std::nullopt;
  }
  std::optional<std::filesystem::path> git_dir = find_git_dir(canonical);
  if (!git_dir) {
    return std::nullopt;
  }
  return *git_dir / "migrate" / kind / sha256_hex(canonical.native()).substr(0, 16);
}

}  // namespace migrate
