#pragma once

namespace migrate {

/// What every tool returns to the shell; the values are part of the contract (DESIGN.md).
enum class ExitCode : int {
  success = 0,       ///< did what was asked
  failure = 1,       ///< failed while running: database error, migration failed, lock timeout
  bad_input = 2,     ///< bad flags, config, migration set or revision
  check_failed = 3,  ///< a check did not pass: pending with --check, drift, the pre-commit gate
};

}  // namespace migrate
