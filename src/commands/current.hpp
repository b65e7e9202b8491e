#pragma once

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct CurrentOptions {
  bool check = false;  ///< exit 3 when anything is pending, partial or changed
  /// For the post-checkout hook: only warnings, and only when the database does not match this
  /// branch (orphans, pending, changed); exit 0 whatever happens.
  bool hook = false;
};

/// migrate-current: the database's applied head(s), pending count, orphans and changed files.
ExitCode run_current(Context& context, const CurrentOptions& options);

}  // namespace migrate
