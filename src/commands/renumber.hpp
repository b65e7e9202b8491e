#pragma once

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct RenumberOptions {
  bool dry_run = false;  ///< show the renames, change nothing
  /// Renumber even when this branch's migrations are on another remote-tracking branch
  /// (someone may have applied them under their old ids).
  bool force = false;
  /// Run by git's post-merge or post-rewrite hook: the merge or the rebase is over (the
  /// renames are to be committed), and a HEAD that upstream is not part of (a rebase of the
  /// branch's own commits, a merge of another branch) has nothing to renumber, said by nothing.
  bool hook = false;
};

/// migrate-renumber: after a rebase or merge, gives this branch's new migrations ids after
/// every upstream one (in their order), chains their `depends:` after upstream's head, renames
/// the files in the work tree and the index, and rewrites migrations/HEAD (which resolves a
/// conflict on it). Idempotent.
ExitCode run_renumber(Context& context, const RenumberOptions& options);

}  // namespace migrate
