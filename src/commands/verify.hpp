#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct VerifyOptions {
  std::string since;               ///< --since REV: the stairway walks the migrations after REV
  std::string changed_since;       ///< --changed-since GITREF: those whose files changed since it
  std::vector<std::string> heads;  ///< --heads: the heads the graph must have
  std::string junit;               ///< --junit FILE: the report as JUnit XML, written whole
  /// The upgrade's --migration-lock-timeout and --statement-timeout, given here too (as to
  /// migrate-lint): set, they satisfy the lint step's timeout rules.
  std::optional<std::chrono::milliseconds> migration_lock_timeout;
  std::optional<std::chrono::milliseconds> statement_timeout;
};

/// migrate-verify: the migrations checked on development databases (verify/verifier.hpp), the
/// report printed (text, or --json) and written as JUnit XML (--junit). Exit 0 when every check
/// passed, 3 when one failed.
ExitCode run_verify(Context& context, const VerifyOptions& options);

}  // namespace migrate
