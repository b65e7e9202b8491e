#pragma once

#include <string>
#include <vector>

#include "git/libgit2/git_handle.hpp"
#include "git/path_patterns.hpp"

namespace migrate {

/// PathPatterns compiled by libgit2's pathspec matcher.
class Libgit2PathPatterns : public PathPatterns {
 public:
  /// Throws GitError for patterns libgit2 refuses.
  explicit Libgit2PathPatterns(const std::vector<std::string>& patterns);
  bool empty() const override { return !m_pathspec; }
  bool matches(const std::string& path) const override;

 private:
  GitPathspec m_pathspec;
};

}  // namespace migrate
