#include "commands/downgrade.hpp"

#include "plan/planner.hpp"

namespace migrate {

ExitCode run_downgrade(Context& context, const DowngradeOptions& options) {
  RevisionSpec target = parse_revision_spec(options.target);
  return run_plan(
      context, options.run,
      [&](const RevisionGraph& graph, const DatabaseStatus& status) {
        return plan_downgrade(graph, status, target);
      },
      "downgrade");
}

}  // namespace migrate
