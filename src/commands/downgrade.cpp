#include "commands/downgrade.hpp"

#include "plan/planner.hpp"
#include "util/error.hpp"

namespace migrate {

ExitCode run_downgrade(Context& context, const DowngradeOptions& options) {
  if (options.target.empty()) {
    throw UsageError(
        "downgrade needs a target: -1 (the last migration), -N, an id, a file stem, or base");
  }
  RevisionSpec target = parse_revision_spec(options.target);
  return run_plan(
      context, options.run,
      [&](const RevisionGraph& graph, const DatabaseStatus& status) {
        return plan_downgrade(graph, status, target);
      },
      "downgrade");
}

}  // namespace migrate
