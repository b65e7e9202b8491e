#pragma once

#include <optional>
#include <string>

#include "commands/plan_runner.hpp"

namespace migrate {

struct RedoOptions {
  std::optional<std::string> target;  ///< -N, an id, head; default: the edited ones, else -1
  RunOptions run;
  bool allow_empty = false;
};

/// migrate-redo: the edit loop on a development database. Reverts the target's migrations with
/// the down SQL stored when they were applied, then applies their files as they are now, in one
/// run with the migration lock held.
ExitCode run_redo(Context& context, const RedoOptions& options);

}  // namespace migrate
