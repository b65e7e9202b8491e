//===- migrate-history: every migration, applied or pending ---------------===//
#include "cli/tool.hpp"
#include "commands/history.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-history",
                     "List every migration, newest first: id, title, parents, and whether and "
                     "when it was applied to the database. --json lists them in apply order.",
                     /*json=*/true);
  migrate::HistoryOptions options;
  // -v/--verbose (a common flag) prints a block per migration: documentation, parents,
  // checksum, who applied it and when.
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_history(context, options);
  });
}
