//===- migrate-current: where is this database? ---------------------------===//
#include "cli/tool.hpp"
#include "commands/current.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-current",
                     "Show the database's applied head(s), the pending migrations, and applied "
                     "migrations that were edited (changed), stopped part-way (partial), "
                     "renumbered (renamed) or have no file here (orphans). Never creates the "
                     "database.",
                     /*json=*/true, migrate::HeapUse::short_reads);
  migrate::CurrentOptions options;
  tool.app().add_flag("--check", options.check,
                      "Exit 3 when anything is pending, partial or changed (for CI and scripts)");
  tool.app()
      .add_flag("--hook", options.hook,
                "For the post-checkout hook: print nothing when the database matches this "
                "branch, else warnings (applied migrations this branch lacks, pending ones, "
                "changed ones); exit 0 even when the database cannot be read")
      ->excludes("--check");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_current(context, options);
  });
}
