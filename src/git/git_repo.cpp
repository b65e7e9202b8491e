#include "git/git_repo.hpp"

#include <fmt/format.h>

#include "git/git_backend.hpp"
#include "git/git_dir.hpp"

namespace migrate {

std::unique_ptr<GitRepo> GitRepo::discover(const std::filesystem::path& path) {
  if (!maybe_in_repository(path)) {
    return nullptr;  // what git would say, without loading it
  }
  return load_git_backend().discover(path);
}

std::string GitRepo::relative_path(const std::filesystem::path& path) const {
  std::filesystem::path root = workdir();
  // Both sides resolved, so a symlinked temp folder or "./x" compares equal.
  std::error_code error;
  std::filesystem::path canonical_root = std::filesystem::weakly_canonical(root, error);
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  std::filesystem::path relative = canonical.lexically_relative(canonical_root);
  if (root.empty() || relative.empty() || *relative.begin() == "..") {
    throw UsageError(fmt::format("{} is outside the git work tree {}", path.string(),
                                 root.empty() ? "(a bare repository)" : root.string()));
  }
  return relative == "." ? std::string() : relative.generic_string();
}

}  // namespace migrate
