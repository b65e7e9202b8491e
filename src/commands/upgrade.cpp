#include "commands/upgrade.hpp"

#include "plan/planner.hpp"

namespace migrate {

ExitCode run_upgrade(Context& context, const UpgradeOptions& options) {
  UpgradeRequest request{.target = parse_revision_spec(options.target),
                         .strict = options.strict,
                         .allow_changed = options.allow_changed,
                         .allow_empty = options.allow_empty};
  return run_plan(
      context, options.run,
      {"upgrade", request.target, [&](const RevisionGraph& graph, const DatabaseStatus& status) {
         return plan_upgrade(graph, status, request);
       }});
}

}  // namespace migrate
