#include "run/flyway_placeholders.hpp"

#include "plan/plan.hpp"

namespace migrate {

void apply_placeholders(Plan& plan, const PlaceholderValues& values) {
  for (PlanStep& step : plan.steps) {
    if (step.migration == nullptr || step.migration->format != MigrationFormat::flyway) {
      continue;
    }
    step.section.sql = replace_flyway_placeholders(step.section, values);
  }
}

}  // namespace migrate
