#pragma once

#include <optional>
#include <string>

#include "commands/plan_runner.hpp"

namespace migrate {

struct DowngradeOptions {
  std::optional<std::string> target;  ///< -1 (the default: one step), -N, an id, base…
  RunOptions run;
};

/// migrate-downgrade: reverts, newest first, every applied migration not needed by the target.
ExitCode run_downgrade(Context& context, const DowngradeOptions& options);

}  // namespace migrate
