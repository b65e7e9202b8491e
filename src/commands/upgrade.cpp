#include "commands/upgrade.hpp"

#include "commands/context.hpp"
#include "plan/planner.hpp"
#include "util/error.hpp"

namespace migrate {

ExitCode run_upgrade(Context& context, const UpgradeOptions& options) {
  if (context.alias == "stamp" && !options.target) {
    // Alembic's stamp needs a revision too: recording everything by default would be a surprise.
    throw UsageError(
        "stamp needs a revision: `migrate stamp head` records every pending migration as "
        "applied without running it, `migrate stamp <id>` those up to <id>");
  }
  refuse_count_from_habit(context, options.target, '+');
  UpgradeRequest request{.target = parse_revision_spec(options.target.value_or("head")),
                         .strict = options.strict,
                         .allow_changed = options.allow_changed,
                         // --fake runs nothing: an empty up section is no concern then
                         .allow_empty = options.allow_empty || options.run.fake};
  return run_plan(context, options.run,
                  {"upgrade", request.target,
                   [&](const RevisionGraph& graph, const DatabaseStatus& status) {
                     return plan_upgrade(graph, status, request);
                   },
                   /*adopt_first=*/!options.run.fake, /*state_table_in_run=*/false,
                   /*shows_no_down=*/true});
}

}  // namespace migrate
