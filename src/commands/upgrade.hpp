#pragma once

#include <optional>
#include <string>

#include "commands/plan_runner.hpp"

namespace migrate {

struct UpgradeOptions {
  std::optional<std::string> target;  ///< default: head
  RunOptions run;
  bool strict = false;
  bool allow_changed = false;
  bool allow_empty = false;
};

/// migrate-upgrade: applies every pending ancestor of the target, each in its own transaction.
ExitCode run_upgrade(Context& context, const UpgradeOptions& options);

}  // namespace migrate
