//===- migrate-merge: join several heads ----------------------------------===//
#include "cli/tool.hpp"
#include "commands/merge.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-merge",
                     "When the migration set has several heads (two branches each added "
                     "migrations and both are shared already, so renumbering is no option), "
                     "write a merge migration that depends on all of them, with empty sections "
                     "and a documentation block naming what it joins. Warns when the branches "
                     "change the same table. Prints the new file's path; with one head, says "
                     "there is nothing to merge.");
  migrate::MergeOptions options;
  CLI::App& app = tool.app();
  app.add_option("-m,--message", options.message, "Title of the merge migration");
  app.add_option("--heads", options.heads, "The heads to join (default: all of them)")
      ->expected(2, -1);
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_merge(context, options); });
}
