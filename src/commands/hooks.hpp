#pragma once

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

/// What migrate-hooks does.
enum class HooksAction { install, uninstall, status };

struct HooksOptions {
  HooksAction action = HooksAction::status;
  bool force = false;  ///< install: replace users' hooks (kept as backups) instead of chaining
  bool check = false;  ///< status: exit 3 unless every hook is installed and current
};

/// migrate-hooks: installs migrate's git hooks (pre-commit, post-merge, post-rewrite,
/// post-checkout) into the hooks folder git uses for the repository around the working
/// directory, removes them, or says what is there.
ExitCode run_hooks(Context& context, const HooksOptions& options);

}  // namespace migrate
