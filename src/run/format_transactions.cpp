#include "run/format_transactions.hpp"

#include <algorithm>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "migration/migration_format.hpp"
#include "plan/plan.hpp"

namespace migrate {

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
    if (std::any_of(statements.begin(), statements.end(), [&](const Statement& statement) {
          return connection.cannot_run_in_transaction(statement.sql);
        })) {
      options.transaction = false;
    }
  }
}

}  // namespace migrate
