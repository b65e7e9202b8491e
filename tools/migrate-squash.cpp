//===- migrate-squash: replace a stretch of migrations by one --------------===//
#include "cli/tool.hpp"
#include "commands/squash.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-squash",
      "Write one migration that replaces the line of migrations FROM..TO (both included): their "
      "up sections in order, their down sections in reverse, FROM's parents as its parents; "
      "TO's children are changed to depend on it. A database that ran none of them runs the "
      "squash; one that ran all records it; one that ran some runs the rest first. With "
      "--prune, delete the replaced files once no configured database still needs them.");
  migrate::SquashOptions options;
  CLI::App& app = tool.app();
  app.add_option("from", options.from, "The first migration to replace");
  app.add_option("to", options.to, "The last migration to replace");
  app.add_option("-m,--message", options.message, "Title of the squashed migration");
  app.add_flag("--prune", options.prune,
               "Delete the migrations replaced by squashes, when no configured database has "
               "run only part of them (exit 3 otherwise)");
  app.add_flag("--force", options.force, "With --prune: go on when a database cannot be reached");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_squash(context, options); });
}
