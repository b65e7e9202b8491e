#include "commands/redo.hpp"

#include "plan/planner.hpp"

namespace migrate {

ExitCode run_redo(Context& context, const RedoOptions& options) {
  RevisionSpec target = parse_revision_spec(options.target);
  return run_plan(context, options.run,
                  {"redo", target, [&](const RevisionGraph& graph, const DatabaseStatus& status) {
                     return plan_redo(graph, status, target, options.allow_empty);
                   }});
}

}  // namespace migrate
