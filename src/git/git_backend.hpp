#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "git/git_repo.hpp"
#include "git/path_patterns.hpp"

namespace migrate {

/// One `name = value` of a git-config file: the name in git's form ("env.prod.database"), the
/// value as written ("" for a key without one).
struct GitConfigEntry {
  std::string name;
  std::string value;
};

/// A git-config file that could not be read: the message is the backend's own. `syntax` when
/// the file does not parse (else it could not be read through).
class GitConfigError : public GitError {
 public:
  GitConfigError(bool syntax, const std::string& message) : GitError(message), m_syntax(syntax) {}
  bool syntax() const { return m_syntax; }

 private:
  bool m_syntax;
};

/// What implements git for migrate (libgit2, in git/libgit2/): the entry to everything git.
/// Started on first use (load_git_backend), so a command that never touches git never starts
/// it.
class GitBackend {
 public:
  virtual ~GitBackend() = default;
  /// The repository containing `path` (searching upwards, as git does); null outside one.
  virtual std::unique_ptr<GitRepo> discover(const std::filesystem::path& path) const = 0;
  /// The entries of the git-config file at `path`, in file order. Throws GitConfigError.
  virtual std::vector<GitConfigEntry> read_config(const std::filesystem::path& path) const = 0;
  /// `patterns` compiled as git pathspecs. Throws GitError for patterns git refuses.
  virtual std::unique_ptr<PathPatterns> path_patterns(
      const std::vector<std::string>& patterns) const = 0;
};

/// The git module (libmigrate-git.so, git/libgit2/): loaded when git is first needed.
inline constexpr const char* kGitModule = "migrate-git";

/// The backend, loaded and started on the first call (thread-safe): the one caller of the git
/// module's entry point.
const GitBackend& load_git_backend();

}  // namespace migrate

/// The git module's entry point: its backend, started on the first call. Only load_git_backend
/// calls it.
extern "C" const migrate::GitBackend* migrate_git_backend();
