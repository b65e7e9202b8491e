#pragma once

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct HistoryOptions {
  /// A block per migration: documentation, parents, checksum, who/when applied, and the commit
  /// that added its file (also with -v).
  bool verbose = false;
  /// Draw the graph's lanes left of the list, as `git log --graph` (not with --json; -v is
  /// ignored with it).
  bool graph = false;
};

/// migrate-history: every migration, newest first, with its parents and whether (and when) it is
/// applied to the configured database; orphans listed too.
ExitCode run_history(Context& context, const HistoryOptions& options);

}  // namespace migrate
