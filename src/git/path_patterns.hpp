#pragma once

#include <string>

namespace migrate {

/// Git pathspec patterns (`app/models/**`, `*.py`), matched as git matches them; made by
/// GitBackend::path_patterns.
class PathPatterns {
 public:
  virtual ~PathPatterns() = default;
  /// True when there are no patterns: nothing matches.
  virtual bool empty() const = 0;
  virtual bool matches(const std::string& path) const = 0;
};

}  // namespace migrate
