#pragma once

#include <string>

#include "commands/plan_runner.hpp"

namespace migrate {

struct DowngradeOptions {
  std::string target;  ///< required: -1, an id, base…
  RunOptions run;
};

/// migrate-downgrade: reverts, newest first, every applied migration not needed by the target.
ExitCode run_downgrade(Context& context, const DowngradeOptions& options);

}  // namespace migrate
