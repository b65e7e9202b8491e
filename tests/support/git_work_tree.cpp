#include "support/git_work_tree.hpp"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace migrate::test {

namespace {

/// The user's and the system's git configuration left out, so hooks, signing or a global
/// init.defaultBranch cannot change what the tests see.
std::map<std::string, std::string> isolated_git_env() {
  return {{"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_CONFIG_GLOBAL", "/dev/null"},
          {"GIT_COMMITTER_NAME", "Test Committer"},
          {"GIT_COMMITTER_EMAIL", "committer@example.com"},
          {"GIT_AUTHOR_NAME", "Test Author"},
          {"GIT_AUTHOR_EMAIL", "author@example.com"}};
}

}  // namespace

GitWorkTree::GitWorkTree(std::filesystem::path root) : m_root(std::move(root)) {
  std::filesystem::create_directories(m_root);
  git({"init", "--quiet", "--initial-branch=main"});
}

std::string GitWorkTree::git(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options{.cwd = m_root, .env = isolated_git_env()};
  ProcessResult result = run_process(argv, options);
  if (result.exit_code != 0) {
    throw std::runtime_error(fmt::format("git {} failed in {} (exit {}): {}", fmt::join(args, " "),
                                         m_root.string(), result.exit_code, result.err));
  }
  if (!result.out.empty() && result.out.back() == '\n') {
    result.out.pop_back();
  }
  return result.out;
}

ProcessResult GitWorkTree::try_git(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) const {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> all = isolated_git_env();
  all.insert(env.begin(), env.end());
  return run_process(argv, {.cwd = m_root, .env = all});
}

void GitWorkTree::write(std::string_view path, std::string_view content) const {
  write_text(m_root / path, content);
}

void GitWorkTree::remove(std::string_view path) const {
  std::filesystem::remove(m_root / path);
}

std::string GitWorkTree::commit(std::string_view message, GitAuthor author) {
  ++m_commits;
  std::string date = author.date.empty() ? fmt::format("2026-11-21T{:02}:{:02}:00Z",
                                                       9 + m_commits / 60, m_commits % 60)
                                         : author.date;
  git({"add", "-A"});
  std::vector<std::string> argv{"git",           "commit", "--quiet",
                                "--allow-empty", "-m",     std::string(message)};
  RunOptions options{.cwd = m_root, .env = isolated_git_env()};
  options.env["GIT_AUTHOR_NAME"] = author.name;
  options.env["GIT_AUTHOR_EMAIL"] = author.email;
  options.env["GIT_AUTHOR_DATE"] = date;
  options.env["GIT_COMMITTER_DATE"] = date;
  ProcessResult result = run_process(argv, options);
  if (result.exit_code != 0) {
    throw std::runtime_error(fmt::format("git commit failed in {} (exit {}): {}", m_root.string(),
                                         result.exit_code, result.err));
  }
  return git({"rev-parse", "HEAD"});
}

}  // namespace migrate::test
