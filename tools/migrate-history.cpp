//===- migrate-history: every migration, applied or pending ---------------===//
#include "cli/tool.hpp"
#include "commands/history.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-history",
                     "List every migration, newest first: id, title, parents, and whether and "
                     "when it was applied to the database. --json lists them in apply order.",
                     /*json=*/true, migrate::HeapUse::short_reads);
  migrate::HistoryOptions options;
  // -v/--verbose (a common flag) prints a block per migration: documentation, parents,
  // checksum, who applied it and when, and the git commit that added its file.
  tool.app()
      .add_flag("--graph", options.graph,
                "Draw the graph left of the list, as git log --graph does: a lane per "
                "branch, forks below merges, joins above the migration branched from")
      ->excludes("--json");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_history(context, options);
  });
}
