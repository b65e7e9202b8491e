#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// The steps of migrate-verify, in the order they run.
enum class VerifyStep {
  graph,     ///< the migration set loads: one head (or the declared ones), no cycle…
  lint,      ///< migrate-lint's rules: no finding at error level
  upgrade,   ///< base -> head applies on an empty development database
  stairway,  ///< per migration: up, down (the parent's schema again), up again (the same)
  schema,    ///< head's schema equals the `schema =` files, and the `dump =` file
  data,      ///< the data tests, migrations/tests/<id>.sql
};

/// "graph", "lint", "upgrade", "stairway", "schema", "data": stable, for --json and --junit.
std::string_view verify_step_name(VerifyStep step);

enum class CheckStatus { passed, failed, skipped };

/// "passed", "failed", "skipped".
std::string_view check_status_name(CheckStatus status);

/// One check of a step: a migration's stairway, a data test, the graph… What failed is named
/// with its file and, for schemas, each object that differs.
struct VerifyCheck {
  VerifyStep step = VerifyStep::graph;
  std::string name;  ///< what was checked: a migration's stem, "base -> head", "schema/"…
  CheckStatus status = CheckStatus::passed;
  std::string file;                  ///< the file concerned, as messages show it; may be empty
  std::string message;               ///< why it failed or was skipped; what it found when it passed
  std::vector<std::string> details;  ///< each difference or failed expectation, one a line
};

/// What migrate-verify found: every check of every step, in order, and notes for the reader
/// (what a flag left out).
struct VerifyReport {
  std::string engine;  ///< "sqlite", "postgresql"
  std::vector<VerifyCheck> checks;
  std::vector<std::string> notes;

  /// The number of checks with `status`.
  std::size_t count(CheckStatus status) const;
  bool passed() const { return count(CheckStatus::failed) == 0; }
  /// Adds a check and returns it, for its details.
  VerifyCheck& add(VerifyStep step, std::string name, CheckStatus status, std::string file,
                   std::string message);
};

/// migrate-verify --junit: the report as JUnit XML, a <testsuite> per step and a <testcase> per
/// check (a <failure> or <skipped> with its message and details), every text escaped for XML
/// (bytes that are no UTF-8, and control characters XML 1.0 cannot hold, become U+FFFD).
std::string verify_junit(const VerifyReport& report);

}  // namespace migrate
