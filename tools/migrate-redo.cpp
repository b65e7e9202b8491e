//===- migrate-redo: revert and apply again, for the edit loop -------------===//
#include "cli/tool.hpp"
#include "commands/redo.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-redo",
      "The edit loop on a development database: revert TARGET with the down SQL stored when it "
      "was applied, then apply its file as it is now, in one run with the migration lock held. "
      "Without TARGET: the migrations edited since they were applied, else the last applied. An id "
      "or head also redoes every applied migration that depends on it; -N redoes the last N. Use "
      "it after editing a migration that is applied here but not yet shared.");
  migrate::RedoOptions options;
  CLI::App& app = tool.app();
  app.add_option("target", options.target,
                 "What to redo (default: what was edited, else -1): -N, an id, a stem, head");
  migrate::add_run_options(app, options.run, /*with_single_transaction=*/true);
  app.add_flag("--allow-empty", options.allow_empty,
               "Apply again although the up section has no statement");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_redo(context, options); });
}
