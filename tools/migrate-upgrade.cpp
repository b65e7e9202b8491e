//===- migrate-upgrade: apply pending migrations --------------------------===//
#include "cli/tool.hpp"
#include "commands/upgrade.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-upgrade",
      "Apply every pending migration up to TARGET (default: head), in order, each in its own "
      "transaction with its state row: a failure leaves the database at the previous migration. "
      "TARGET: an id, a unique id prefix, a file stem, head, heads, +N, <id>~N, head~N.");
  migrate::UpgradeOptions options;
  CLI::App& app = tool.app();
  app.add_option("target", options.target, "Where to go (default: head)");
  migrate::add_run_options(app, options.run, /*with_single_transaction=*/true);
  app.add_flag("--strict", options.strict,
               "Refuse pending migrations older than the newest applied one (exit 3)");
  app.add_flag("--allow-changed", options.allow_changed,
               "Go on although applied migrations were edited (otherwise exit 3; on a "
               "development database, migrate-redo applies the edit)");
  app.add_flag("--allow-empty", options.allow_empty,
               "Record migrations whose up section has no statement (otherwise exit 2; merges "
               "may always be empty)");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_upgrade(context, options);
  });
}
