#include "commands/redo.hpp"

#include "plan/planner.hpp"

namespace migrate {

ExitCode run_redo(Context& context, const RedoOptions& options) {
  std::optional<RevisionSpec> target;
  if (options.target) {
    target = parse_revision_spec(*options.target);
  }
  return run_plan(context, options.run,
                  {"redo", target.value_or(parse_revision_spec("-1")),
                   [&](const RevisionGraph& graph, const DatabaseStatus& status) {
                     return plan_redo(graph, status, target, options.allow_empty);
                   }});
}

}  // namespace migrate
