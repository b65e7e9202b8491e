#include "git/libgit2/libgit2_path_patterns.hpp"

#include <fmt/format.h>

#include "git/libgit2/libgit2_error.hpp"

namespace migrate {

Libgit2PathPatterns::Libgit2PathPatterns(const std::vector<std::string>& patterns) {
  if (patterns.empty()) {
    return;
  }
  std::vector<char*> strings;
  for (const std::string& pattern : patterns) {
    strings.push_back(const_cast<char*>(pattern.c_str()));  // libgit2 only reads them
  }
  git_strarray array{strings.data(), strings.size()};
  git_pathspec* raw = nullptr;
  check_git(git_pathspec_new(&raw, &array),
            fmt::format("reading the models patterns {}", fmt::join(patterns, " ")));
  m_pathspec.reset(raw);
}

bool Libgit2PathPatterns::matches(const std::string& path) const {
  return m_pathspec && git_pathspec_matches_path(m_pathspec.get(), 0, path.c_str()) == 1;
}

}  // namespace migrate
