#include "commands/downgrade.hpp"

#include "commands/context.hpp"
#include "output/console.hpp"
#include "plan/planner.hpp"

namespace migrate {

ExitCode run_downgrade(Context& context, const DowngradeOptions& options) {
  if (!options.target) {
    context.console.note("no target given: reverting the last applied migration (as with -1)");
  }
  refuse_count_from_habit(context, options.target, '-');
  RevisionSpec target = parse_revision_spec(options.target.value_or("-1"));
  return run_plan(
      context, options.run,
      {"downgrade", target, [&](const RevisionGraph& graph, const DatabaseStatus& status) {
         return plan_downgrade(graph, status, target, options.run.fake);
       }});
}

}  // namespace migrate
