#include "run/format_transactions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "migration/migration_format.hpp"
#include "plan/plan.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// Flyway's refusal of a file that mixes statements that cannot run in a transaction with
/// others that can (its default, mixed = false): neither way runs it as written.
[[noreturn]] void refuse_mixed(const Section& section, const Statement& outside) {
  std::string_view before = std::string_view(section.sql).substr(0, outside.offset);
  int line = section.first_line + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  throw ParseError(
      section.file, line,
      fmt::format("'{}' cannot run in a transaction, and the file's other statements run in "
                  "one: Flyway refuses such a file too (it detects both transactional and "
                  "non-transactional statements). Move this statement to a migration of its "
                  "own. Nothing was run",
                  first_line_shortened(outside.sql, 60)));
}

}  // namespace

void apply_format_transaction_rules(Plan& plan, const Connection& connection) {
  for (PlanStep& step : plan.steps) {
    SectionOptions& options = step.section.options;
    if (step.migration == nullptr || !options.transaction ||
        !runs_outside_transaction_when_needed(step.migration->format)) {
      continue;
    }
    std::vector<Statement> statements;
    try {
      statements = connection.dialect().split(step.section.sql);
    } catch (const StatementError&) {
      continue;  // the executor reports it, with the file and line
    }
    auto outside = [&](const Statement& statement) {
      return connection.cannot_run_in_transaction(statement.sql);
    };
    auto first_outside = std::find_if(statements.begin(), statements.end(), outside);
    if (first_outside == statements.end()) {
      continue;
    }
    if (step.migration->format == MigrationFormat::flyway &&
        !std::all_of(statements.begin(), statements.end(), outside)) {
      refuse_mixed(step.section, *first_outside);
    }
    options.transaction = false;
  }
}

}  // namespace migrate
