#pragma once

#include <string>
#include <vector>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct CheckOptions {
  /// Check what is staged (the index against HEAD), as the pre-commit hook does; otherwise
  /// the work tree, untracked files included.
  bool staged = false;
  /// With staged: the commit `git commit --amend` makes, whose parent is HEAD's parent, not
  /// HEAD (git tells a pre-commit hook nothing of --amend: the hook looks at git's arguments).
  bool amend = false;
  /// Ids (or stems) of shared migrations that this commit may edit on purpose.
  std::vector<std::string> allowed_edits;
};

/// migrate-check: the pre-commit gate. Exit 3 with what to do when the model (`schema =`) and
/// the migrations after the commit do not build the same schema (without one: a file of the
/// `models` patterns changes without a new migration), a migration upstream already has is
/// edited, renamed or deleted, the migrations after the commit would not load, would have
/// several heads, or migrations/HEAD would not name the head, or the linter finds an error in
/// a migration the commit brings (its warnings are printed and pass).
ExitCode run_check(Context& context, const CheckOptions& options);

}  // namespace migrate
