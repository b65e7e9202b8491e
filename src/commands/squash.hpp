#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct SquashOptions {
  std::string from;     ///< first migration of the range
  std::string to;       ///< last migration of the range
  std::string message;  ///< the squashed migration's title (default: names the range)
  bool prune = false;   ///< instead: delete the replaced files once nothing needs them
  bool force = false;   ///< prune although an environment could not be checked
};

/// migrate-squash FROM TO: one new migration that `replaces:` the linear stretch FROM..TO, with
/// their up sections in order, their down sections in reverse, FROM's parents as its parents,
/// and TO's children re-pointed to it. The originals stay until `--prune`.
ExitCode run_squash(Context& context, const SquashOptions& options);

}  // namespace migrate
