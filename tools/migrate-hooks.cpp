//===- migrate-hooks: install, remove or inspect migrate's git hooks ------===//
#include "cli/tool.hpp"
#include "commands/hooks.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-hooks",
      "Install migrate's git hooks into the repository's hooks folder (core.hooksPath when set, "
      "else .git/hooks): pre-commit runs `migrate check --staged`; post-merge and post-rewrite "
      "(after a rebase) run `migrate renumber`; post-checkout warns when the database does not "
      "match the new branch. A hook of your own is kept and chained: it runs first. Without a "
      "subcommand: status.");
  migrate::HooksOptions options;
  CLI::App& app = tool.app();
  app.fallthrough();             // the common flags may follow the subcommand too
  app.require_subcommand(0, 1);  // none: status
  CLI::App* install = app.add_subcommand(
      "install",
      "Write the hooks, or update them; a hook of your own moves to <hook>.local and "
      "runs first");
  install->add_flag("--force", options.force,
                    "Replace hooks of your own instead of chaining to them (each is kept as "
                    "<hook>.backup)");
  CLI::App* uninstall = app.add_subcommand(
      "uninstall", "Remove migrate's hooks and put back the hooks of your own they chained to");
  CLI::App* status = app.add_subcommand("status", "Say, per hook, what the hooks folder holds");
  status->add_flag("--check", options.check,
                   "Exit 3 unless every hook is installed, as this version writes it");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    options.action = install->parsed()     ? migrate::HooksAction::install
                     : uninstall->parsed() ? migrate::HooksAction::uninstall
                                           : migrate::HooksAction::status;
    return migrate::run_hooks(context, options);
  });
}
