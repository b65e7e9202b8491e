//===- migrate-downgrade: revert applied migrations -----------------------===//
#include "cli/tool.hpp"
#include "commands/downgrade.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-downgrade",
      "Revert, newest first, every applied migration that TARGET does not need: -1 (the default) "
      "reverts the last one, -N the last N, base everything, an id or head~N everything after "
      "it. Applied migrations whose file is gone (orphans) are reverted with the down SQL stored "
      "when they were applied, and so is one whose up section was edited since. Irreversible "
      "migrations (no down section) stop it before anything runs.");
  migrate::DowngradeOptions options;
  CLI::App& app = tool.app();
  app.add_option("target", options.target,
                 "Where to go (default -1: one step back): -N, an id, a file stem, head~N, base");
  migrate::add_run_options(app, options.run, /*with_single_transaction=*/true);
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_downgrade(context, options);
  });
}
