#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/run_tool.hpp"

namespace migrate::test {

/// Who and when, for a commit made by GitWorkTree.
struct GitAuthor {
  std::string name = "Ann Example";
  std::string email = "ann@example.com";
  std::string date;  ///< as GIT_AUTHOR_DATE takes it; empty: a minute after the previous commit
};

/// A git repository in a test's folder, built with the git CLI (the tests may use it; src/ uses
/// libgit2 only, so the two check each other). Commits get fixed authors and dates, so their
/// ids and dates are exact, and nothing from the user's git configuration takes part.
class GitWorkTree {
 public:
  /// `git init` in `root` (created if missing), on a branch named main.
  explicit GitWorkTree(std::filesystem::path root);

  const std::filesystem::path& root() const { return m_root; }

  /// Runs `git ARGS` in the work tree; throws std::runtime_error (with git's stderr) when it
  /// fails. Returns its standard output without the final newline.
  std::string git(const std::vector<std::string>& args) const;
  /// Runs `git ARGS` that may fail on purpose (a rebase stopping at a conflict), with `env`
  /// added (PATH for the hooks a commit runs).
  ProcessResult try_git(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env = {}) const;

  /// Writes `path` (relative to the root), creating its folders.
  void write(std::string_view path, std::string_view content) const;
  /// Removes `path` (relative to the root) from the work tree.
  void remove(std::string_view path) const;

  /// Stages everything (`git add -A`) and commits it; returns the full commit id.
  std::string commit(std::string_view message, GitAuthor author = {});

 private:
  std::filesystem::path m_root;
  int m_commits = 0;  ///< for the default dates: 2026-11-21 09:00 UTC plus a minute per commit
};

}  // namespace migrate::test
