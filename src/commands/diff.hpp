#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct DiffOptions {
  std::string from;  ///< a database URL, DIR@REVISION, or schema files
  std::string to;
  bool check = false;              ///< print nothing; exit 3 when they differ
  bool allow_destructive = false;  ///< let the migration drop tables and columns
};

/// migrate-diff FROM TO: the migration that takes FROM's schema to TO's and back, tried on a
/// development database both ways before it is printed.
ExitCode run_diff(Context& context, const DiffOptions& options);

}  // namespace migrate
