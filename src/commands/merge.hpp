#pragma once

#include <string>
#include <vector>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct MergeOptions {
  std::string message;             ///< the merge migration's title (default: names the heads)
  std::vector<std::string> heads;  ///< which heads to join (default: all of them)
};

/// migrate-merge: when the set has several heads (branches already shared, so renumbering is no
/// option), writes a migration that depends on all of them, with empty sections and a
/// documentation block listing what it joins; warns first when the branches touch the same
/// table. With one head there is nothing to do (exit 0).
ExitCode run_merge(Context& context, const MergeOptions& options);

}  // namespace migrate
